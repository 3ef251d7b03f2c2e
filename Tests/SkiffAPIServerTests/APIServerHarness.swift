import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import SkiffAPI
@testable import SkiffAPIServer
import SkiffRegistry
import SkiffStorage
import SkiffTesting
import Testing

/// How a test reaches the server (in the spirit of HummingbirdTesting's `.router` and `.live`):
/// `APIServer.handle` called in process, or HTTP over a loopback socket.
enum Transport: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case router
    case live

    var testDescription: String { rawValue }
}

/// A response as a test reads it: status, headers, the whole body.
struct TestResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    func json() throws -> JSONValue { try JSONValue(parsing: body) }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// An API server on the given storage with its caches loaded, the bootstrap objects created and `/readyz` ok,
/// reached through one transport for the duration of `with { server in … }`. Running the same
/// storage through a second harness is a restart.
struct APIServerHarness: Sendable {
    let transport: Transport
    let api: APIServer
    let registry: Registry
    private let baseURL: String?
    private let http: HTTPClient?

    static func with<Result: Sendable>(
        _ transport: Transport, storage: any Storage = MemoryStorage(), options: APIServer.Options = APIServer.Options(),
        _ body: @escaping @Sendable (APIServerHarness) async throws -> Result
    ) async throws -> Result {
        let logger = InProcessCluster.quietLogger
        try await BuiltinResources.repairAllocations(storage: storage)
        let registry = Registry(storage: storage, cacheConfiguration: InProcessCluster.testWatchCache, logger: logger)
        registry.register(BuiltinResources.entries(storage: storage))
        let readiness = Readiness()
        let api = APIServer(registry: registry, readiness: readiness, logger: logger, options: options)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            defer { group.cancelAll() }
            group.addTask { await registry.run() }
            try await registry.waitUntilReady()
            try await ClusterBootstrap(registry: registry, apiServerPort: 6443, logger: logger).run()
            readiness.markReady()
            guard transport == .live else {
                return try await body(APIServerHarness(transport: transport, api: api, registry: registry, baseURL: nil, http: nil))
            }
            let (ports, bound) = AsyncStream<Int>.makeStream()
            let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), logger: logger) { request in await api.handle(request) }
            group.addTask { try await server.run { port in bound.yield(port) } }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw ServerDidNotStart() }
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            let harness = APIServerHarness(transport: transport, api: api, registry: registry, baseURL: "http://127.0.0.1:\(port)", http: http)
            let outcome: Swift.Result<Result, any Error>
            do { outcome = .success(try await body(harness)) } catch { outcome = .failure(error) }
            try await http.shutdown()
            return try outcome.get()
        }
    }

    /// Sends one request with an optional JSON body.
    func send(_ method: HTTPMethod, _ path: String, json: JSONValue? = nil, headers: HTTPHeaders = [:]) async throws -> TestResponse {
        var headers = headers
        let body = json?.serialized() ?? []
        if json != nil { headers.replaceOrAdd(name: "Content-Type", value: "application/json") }
        guard let http, let baseURL else {
            let response = await api.handle(HTTPRequest(method: method, uri: path, headers: headers, body: body))
            guard case .bytes(let bytes) = response.body else { throw StreamedResponse() }
            return TestResponse(status: Int(response.status.code), headers: response.headers, body: bytes)
        }
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers = headers
        if json != nil { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await http.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 26)
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: Array(bytes.readableBytesView))
    }

    /// A test asked the router for a watch, whose body is a stream.
    struct StreamedResponse: Error {}

    /// The server stopped before it bound its port.
    struct ServerDidNotStart: Error {}
}
