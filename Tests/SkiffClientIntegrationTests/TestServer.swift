import Foundation
import Logging
import SkiffAPIServer
import SkiffClient

/// A real API server on a free loopback port, run in a task of the test, cancelled at the end.
struct TestServer {
    /// A fresh temporary directory for SQLite data.
    static func scratchDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-client-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let quietLogger = Logger(label: "skiff.test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs a server on `storageURL` (on `port`, or a free one) for the duration of `body`,
    /// which gets the bound port.
    static func run<Result: Sendable>(
        storageURL: String = "memory://", port: Int = 0, _ body: @Sendable (Int) async throws -> Result
    ) async throws -> Result {
        let (ports, portInput) = AsyncStream<Int>.makeStream()
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                let configuration = APIServerService.Configuration(storageURL: storageURL, http: .init(host: "127.0.0.1", port: port))
                try await APIServerService(configuration: configuration, logger: quietLogger).run { port in portInput.yield(port) }
                portInput.finish()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let bound = await iterator.next() else {
                try await group.waitForAll()
                throw ClientError(.transport, "the test server stopped before it was ready")
            }
            let result = try await body(bound)
            group.cancelAll()
            try await group.waitForAll()
            return result
        }
    }

    /// A client of the server on `port`, shut down after `body`.
    static func withClient<Result: Sendable>(port: Int, _ body: (KubernetesClient) async throws -> Result) async throws -> Result {
        var configuration = ClientConfiguration(server: "http://127.0.0.1:\(port)")
        configuration.qps = 0
        let client = try KubernetesClient(configuration: configuration)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// A server and a client of it.
    static func withServerAndClient<Result: Sendable>(_ body: @Sendable (KubernetesClient) async throws -> Result) async throws -> Result {
        try await run { port in try await withClient(port: port, body) }
    }
}

/// Waits until `condition` holds, checking after every short pause, failing after `timeout`.
func waitUntil(
    _ what: String, timeout: Duration = .seconds(60), _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw ClientError(.transport, "timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}
