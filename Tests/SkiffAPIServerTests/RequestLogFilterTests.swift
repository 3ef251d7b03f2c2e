import NIOHTTP1
import SkiffAPI
@testable import SkiffAPIServer
import Synchronization
import Testing

/// The API server's request log (`skiff up -v N`).
struct RequestLogFilterTests {
    private static func logged(verbosity: Int, _ requests: @escaping @Sendable (APIServerHarness) async throws -> Void) async throws -> [String] {
        let lines = Mutex<[String]>([])
        var options = APIServer.Options()
        options.requestLog = RequestLog(verbosity: verbosity) { line in lines.withLock { $0.append(line) } }
        try await APIServerHarness.with(.router, options: options, requests)
        return lines.withLock { $0 }
    }

    @Test func threeLogsOneHTTPLinePerRequest() async throws {
        let lines = try await Self.logged(verbosity: 3) { server in
            _ = try await server.send(.GET, "/api/v1/namespaces/default/configmaps?limit=5", headers: ["User-Agent": "kubectl/v1.32.0"])
            _ = try await server.send(.GET, "/api/v1/namespaces/default/configmaps/missing")
        }
        #expect(lines.count == 2)
        let list = try #require(lines.first)
        #expect(list.hasPrefix(#""HTTP" verb="LIST" URI="/api/v1/namespaces/default/configmaps?limit=5" latency=""#))
        #expect(list.hasSuffix(#"" userAgent="kubectl/v1.32.0" resp=200"#))
        #expect(lines.last?.hasSuffix("resp=404") == true)
    }

    @Test func eightAddsHeadersMaskedAndBodies() async throws {
        let lines = try await Self.logged(verbosity: 8) { server in
            _ = try await server.send(
                .POST, "/api/v1/namespaces/default/configmaps", json: ["metadata": ["name": "a"]], headers: ["Authorization": "Bearer s3cr3t"])
        }
        #expect(lines.first?.contains(#"verb="POST""#) == true)
        #expect(lines.contains("    Authorization: Bearer <masked>"))
        #expect(!lines.contains { $0.contains("s3cr3t") })
        #expect(lines.contains(#"Request Body: {"metadata":{"name":"a"}}"#))
        #expect(lines.contains { $0.hasPrefix("Response Body: {") && $0.contains(#""kind":"ConfigMap""#) })
    }

    @Test func nothingBelowThree() async throws {
        #expect(try await Self.logged(verbosity: 2) { server in _ = try await server.send(.GET, "/api/v1/namespaces") }.isEmpty)
    }

    @Test func latencyAsGoPrintsDurations() {
        #expect(RequestLogFilter.latency(.nanoseconds(512)) == "512ns")
        #expect(RequestLogFilter.latency(.microseconds(12)) == "12µs")
        #expect(RequestLogFilter.latency(.nanoseconds(1_234_567)) == "1.234567ms")
        #expect(RequestLogFilter.latency(.milliseconds(1_500)) == "1.5s")
    }
}
