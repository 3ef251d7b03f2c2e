import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import SkiffAPI
import SkiffAPIServer

/// A real API server on memory storage and a free loopback port, for the duration of `body`.
struct TestAPIServer {
    /// `http://127.0.0.1:PORT`.
    let baseURL: String

    /// Starts the server, waits until it is ready, runs `body`, then cancels the server.
    static func with<Result: Sendable>(_ body: @Sendable (TestAPIServer) async throws -> Result) async throws -> Result {
        var logger = Logger(label: "skiff.models-tests")
        logger.logLevel = .warning
        let service = APIServerService(
            configuration: .init(storageURL: "memory://", http: .init(host: "127.0.0.1", port: 0)),
            logger: logger
        )
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await service.run { port in continuation.yield(port) }
            }
            var readyPorts = ports.makeAsyncIterator()
            guard let port = await readyPorts.next() else {
                try await group.waitForAll()
                throw StartError()
            }
            defer { group.cancelAll() }
            return try await body(TestAPIServer(baseURL: "http://127.0.0.1:\(port)"))
        }
    }

    /// The server stopped before it was ready.
    struct StartError: Error {}

    /// A request's answer: status code and body.
    struct Response {
        var status: Int
        var body: [UInt8]

        /// The body as JSON.
        func json() throws -> JSONValue { try JSONValue(parsing: body) }
    }

    /// Sends one request with an optional JSON body.
    func send(_ method: String, _ path: String, json body: String? = nil) async throws -> Response {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Response(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: Array(data))
    }
}
