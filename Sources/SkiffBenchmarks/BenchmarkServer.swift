import Logging
import SkiffTesting

/// The API server a benchmark measures against: the one `server` names, or one started in
/// process with memory storage for the duration of `body`.
enum BenchmarkServer {
    /// A logger that drops everything: benchmarks print only their result lines.
    static let quietLogger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs `body` with the server's URL.
    static func with(_ server: String?, _ body: @escaping @Sendable (String) async throws -> Void) async throws {
        if let server { return try await body(server) }
        var cluster = InProcessCluster.Options()
        cluster.logger = quietLogger
        try await InProcessCluster.withCluster(cluster) { cluster in try await body(cluster.serverURL) }
    }
}
