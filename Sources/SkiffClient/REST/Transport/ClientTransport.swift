import NIOCore
import NIOHTTP1

/// What carries a `RESTClient`'s requests to an API server and brings the answers back: HTTP
/// over the network (`HTTPClientTransport`, the default), or a server in the same process with
/// no socket (SkiffTesting's `FakeAPIServer`, client-go's `fake` package done Skiff's way).
///
/// A transport moves bytes only: the client above it adds authentication, rate limiting,
/// retries and request logging, and decodes failures into `APIError`.
public protocol ClientTransport: Sendable {
    /// Sends `request` and returns once the response's status and headers arrived; the body is
    /// read from the response as it comes. `deadline` (nil for watches) bounds the whole exchange.
    func execute(_ request: TransportRequest, deadline: NIODeadline?) async throws -> TransportResponse

    /// Releases what the transport holds (connections); it cannot be used afterwards.
    func shutdown() async throws
}

/// One request as a transport sends it.
public struct TransportRequest: Sendable {
    public var method: HTTPMethod
    /// The path and its encoded query: `/api/v1/namespaces/default/pods?watch=true`.
    public var pathAndQuery: String
    public var headers: HTTPHeaders
    public var body: [UInt8]?

    public init(method: HTTPMethod, pathAndQuery: String, headers: HTTPHeaders, body: [UInt8]? = nil) {
        self.method = method
        self.pathAndQuery = pathAndQuery
        self.headers = headers
        self.body = body
    }
}

/// A response as a transport hands it back: its body is still arriving.
public struct TransportResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: TransportBody

    public init(status: HTTPResponseStatus, headers: HTTPHeaders, body: TransportBody) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
