import Logging
import NIOHTTP1
import SkiffAPI
import SkiffAPIServer
import SkiffClient
import Synchronization
import SkiffTesting
import Testing

/// The REST client against a scripted HTTP server: retries, headers, errors.
struct RESTClientTests {
    /// Answers requests from a script, recording each.
    final class Script: Sendable {
        private let state: Mutex<(responses: [HTTPResponse], requests: [HTTPRequest])>

        init(_ responses: [HTTPResponse]) {
            state = Mutex((responses, []))
        }

        var requests: [HTTPRequest] { state.withLock { $0.requests } }

        func answer(_ request: HTTPRequest) -> HTTPResponse {
            state.withLock { state in
                state.requests.append(request)
                return state.responses.isEmpty ? .json(["kind": "ConfigMap"]) : state.responses.removeFirst()
            }
        }
    }

    static func tooManyRequests() -> HTTPResponse {
        var response = HTTPResponse.error(APIError(code: 429, reason: .tooManyRequests, message: "slow down"))
        response.headers.replaceOrAdd(name: "Retry-After", value: "1")
        return response
    }

    func withScriptedServer(
        _ script: Script, _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        let (ports, portInput) = AsyncStream<Int>.makeStream()
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), logger: InProcessCluster.quietLogger) { request in
            script.answer(request)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run { portInput.yield($0) } }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            try await body(port)
            group.cancelAll()
        }
    }

    func client(port: Int, retry: RetryPolicy = RetryPolicy(), timeout: Duration = .seconds(30)) throws -> RESTClient {
        var configuration = ClientConfiguration(server: "http://127.0.0.1:\(port)")
        configuration.timeout = timeout
        configuration.bearerToken = "secret"
        configuration.userAgent = "skiff-tests"
        return try RESTClient(configuration: configuration, retryPolicy: retry)
    }

    @Test func retriesTooManyRequestsAsTheServerAsks() async throws {
        let script = Script([Self.tooManyRequests(), Self.tooManyRequests()])
        try await withScriptedServer(script) { port in
            let rest = try client(port: port)
            let configMaps = GroupVersionResource(group: "", version: "v1", resource: "configmaps")
            let response = try await rest.send(APIRequest(.POST, configMaps).namespace("default").body(["kind": "ConfigMap"]))
            try await rest.shutdown()
            #expect(response.statusCode == 200)
            #expect(script.requests.count == 3)
            let request = try #require(script.requests.last)
            #expect(request.path == "/api/v1/namespaces/default/configmaps")
            #expect(request.headers["Authorization"] == ["Bearer secret"])
            #expect(request.headers["User-Agent"] == ["skiff-tests"])
            #expect(request.headers["Content-Type"] == ["application/json"])
            #expect(request.body == Array(#"{"kind":"ConfigMap"}"#.utf8))
        }
    }

    @Test func givesUpWithTheServersErrorAfterTheLastRetry() async throws {
        let script = Script([Self.tooManyRequests()])
        try await withScriptedServer(script) { port in
            let rest = try client(port: port, retry: .none)
            let error = await #expect(throws: APIError.self) { try await rest.send(APIRequest(.GET, path: "/api")) }
            try await rest.shutdown()
            #expect(error?.isTooManyRequests == true)
            #expect(error?.message == "slow down")
        }
    }

    @Test func retriesReadsWhenTheServerCannotBeReached() async throws {
        // Nothing listens on port 1 of the loopback address: every connection is refused (the
        // HTTP client's pool retries connecting until the request's deadline, then the REST
        // client retries the request).
        let rest = try client(port: 1, retry: RetryPolicy(maxRetries: 2, initialDelay: .milliseconds(1)), timeout: .milliseconds(200))
        let error = await #expect(throws: ClientError.self) { try await rest.send(APIRequest(.GET, path: "/api")) }
        try await rest.shutdown()
        #expect(error?.kind == .transport)
    }
}
