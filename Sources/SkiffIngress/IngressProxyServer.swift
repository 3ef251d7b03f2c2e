import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The controller's HTTP/1.1 reverse proxy: each request is routed by its `Host` header and
/// path (`route`), then sent to one of the backend's endpoints in turn (round robin) with the
/// client's headers (not the hop-by-hop ones) and `X-Forwarded-For`/`-Host`/`-Proto`; the
/// answer is streamed back. No route: 404; no ready endpoint: 503; an endpoint that cannot be
/// reached: 502.
struct IngressProxyServer: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
    typealias Listener = NIOAsyncChannel<Connection, Never>

    /// Headers that concern one connection only, never passed on (RFC 9110 §7.6.1).
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
    ]

    /// The next endpoint of a backend, in turn. A class: the counter is shared by every connection.
    final class RoundRobin: Sendable {
        private let next = Atomic<Int>(0)

        func pick(_ addresses: [String]) -> String {
            addresses[next.wrappingAdd(1, ordering: .relaxed).oldValue % addresses.count]
        }
    }

    let host: String
    let port: Int
    let route: @Sendable (_ host: String, _ path: String) -> RoutingDecision
    let client: HTTPClient
    let logger: Logger
    private let roundRobin = RoundRobin()

    init(host: String, port: Int, client: HTTPClient, logger: Logger, route: @escaping @Sendable (_ host: String, _ path: String) -> RoutingDecision) {
        self.host = host
        self.port = port
        self.client = client
        self.logger = logger
        self.route = route
    }

    /// Listens on `host:port`.
    func bind() async throws -> Listener {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Serves connections until graceful shutdown or cancellation.
    func serve(_ listener: Listener) async throws {
        try await withGracefulShutdownHandler {
            try await listener.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        // Idle keep-alive connections end at graceful shutdown rather than hold it up.
                        group.addTask { try? await cancelWhenGracefulShutdown { try await serve(connection) } }
                    }
                }
            }
        } onGracefulShutdown: {
            listener.channel.close(promise: nil)
        }
    }

    private func serve(_ connection: Connection) async throws {
        let clientAddress = connection.channel.remoteAddress?.ipAddress
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body.clear()
                case .body(var chunk):
                    body.writeBuffer(&chunk)
                case .end:
                    guard let request = head else { continue }
                    try await respond(to: request, body: body, clientAddress: clientAddress, outbound)
                    guard request.isKeepAlive else { return }
                }
            }
        }
    }

    private func respond(to request: HTTPRequestHead, body: ByteBuffer, clientAddress: String?, _ outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        let requestHost = request.headers.first(name: "Host").map(IngressPathMatcher.host(ofHeader:)) ?? ""
        let path = String(request.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
        switch route(requestHost, path) {
        case .notFound:
            try await answer(.notFound, "404 page not found\n", to: request, outbound)
        case .unavailable:
            try await answer(.serviceUnavailable, "503 service unavailable: no ready endpoints\n", to: request, outbound)
        case .forward(let addresses):
            let address = roundRobin.pick(addresses)
            var outgoing = HTTPClientRequest(url: "http://\(address)\(request.uri)")
            outgoing.method = request.method
            outgoing.headers = Self.forwardedHeaders(request.headers, clientAddress: clientAddress)
            if body.readableBytes > 0 { outgoing.body = .bytes(body) }
            let response: HTTPClientResponse
            do {
                response = try await client.execute(outgoing, timeout: .seconds(60))
            } catch {
                logger.info("cannot reach the backend", metadata: ["endpoint": "\(address)", "error": "\(error)"])
                try await answer(.badGateway, "502 bad gateway\n", to: request, outbound)
                return
            }
            var headers = HTTPHeaders()
            for (name, value) in response.headers where !Self.hopByHop.contains(name.lowercased()) { headers.add(name: name, value: value) }
            if !request.isKeepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
            try await outbound.write(.head(HTTPResponseHead(version: request.version, status: response.status, headers: headers)))
            for try await chunk in response.body { try await outbound.write(.body(.byteBuffer(chunk))) }
            try await outbound.write(.end(nil))
        }
    }

    /// The proxy's own short answer.
    private func answer(_ status: HTTPResponseStatus, _ text: String, to request: HTTPRequestHead, _ outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        var headers: HTTPHeaders = ["Content-Type": "text/plain; charset=utf-8", "Content-Length": "\(text.utf8.count)"]
        if !request.isKeepAlive { headers.add(name: "Connection", value: "close") }
        try await outbound.write(.head(HTTPResponseHead(version: request.version, status: status, headers: headers)))
        if request.method != .HEAD { try await outbound.write(.body(.byteBuffer(ByteBuffer(string: text)))) }
        try await outbound.write(.end(nil))
    }

    /// The client's headers as the backend gets them: without hop-by-hop ones (and those
    /// `Connection` names), with `Host` kept and the `X-Forwarded-*` headers added.
    static func forwardedHeaders(_ requestHeaders: HTTPHeaders, clientAddress: String?) -> HTTPHeaders {
        let named = Set(requestHeaders["Connection"].flatMap { $0.split(separator: ",").map { $0.filter { !$0.isWhitespace }.lowercased() } })
        var headers = HTTPHeaders()
        for (name, value) in requestHeaders where !hopByHop.contains(name.lowercased()) && !named.contains(name.lowercased()) {
            headers.add(name: name, value: value)
        }
        if let clientAddress {
            let forwarded = requestHeaders.first(name: "X-Forwarded-For").map { "\($0), \(clientAddress)" } ?? clientAddress
            headers.replaceOrAdd(name: "X-Forwarded-For", value: forwarded)
        }
        if let host = requestHeaders.first(name: "Host") { headers.replaceOrAdd(name: "X-Forwarded-Host", value: host) }
        headers.replaceOrAdd(name: "X-Forwarded-Proto", value: "http")
        return headers
    }
}
