import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL
import ServiceLifecycle
import SkiffAPIServer
import Synchronization

/// The controller's reverse proxy: each request is routed by its `Host` header and path
/// (`route`), then sent to one of the backend's endpoints in turn (round robin) with the
/// client's headers (not the hop-by-hop ones) and `X-Forwarded-For`/`-Host`/`-Proto`; the
/// answer is streamed back. No route: 404; no ready endpoint: 503; an endpoint that cannot be
/// reached: 502. Plain HTTP/1.1 on the HTTP port (a host served over HTTPS is redirected
/// there, 308); HTTPS with HTTP/1.1 or HTTP/2 by ALPN on the HTTPS port (the API server's
/// `ServerConnection`). WebSocket upgrades (HTTP/1.1) are forwarded, then piped.
struct IngressProxyServer: Sendable {
    typealias Listener = NIOAsyncChannel<ServerConnection, Never>

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

    let route: @Sendable (_ host: String, _ path: String) -> RoutingDecision
    /// Whether a host (without its port) is served over HTTPS, so that HTTP requests for it are redirected.
    let servesTLS: @Sendable (_ host: String) -> Bool
    /// The HTTPS port redirects point at; nil: no HTTPS, no redirects.
    let httpsPort: Int?
    let client: HTTPClient
    let logger: Logger
    private let roundRobin = RoundRobin()

    init(
        client: HTTPClient, logger: Logger, httpsPort: Int?, servesTLS: @escaping @Sendable (String) -> Bool,
        route: @escaping @Sendable (_ host: String, _ path: String) -> RoutingDecision
    ) {
        self.client = client
        self.logger = logger
        self.httpsPort = httpsPort
        self.servesTLS = servesTLS
        self.route = route
    }

    /// Listens on `host:port`: HTTPS (HTTP/2 by ALPN) with `tls`, else plain HTTP/1.1.
    static func bind(host: String, port: Int, tls: NIOSSLContext?) async throws -> Listener {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let connection = try ServerConnection.configure(channel, tls: tls, http2: NIOHTTP2Handler.Configuration(),
                                                                    limits: ServerConnection.Limits())
                    let operations = channel.pipeline.syncOperations
                    if tls == nil {
                        try operations.addHandler(IngressTunnelHandler(), position: .first)
                    } else {
                        try operations.addHandler(IngressTunnelHandler(), position: .after(try operations.handler(type: NIOSSLServerHandler.self)))
                    }
                    return connection
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

    private func serve(_ connection: ServerConnection) async throws {
        switch connection {
        case .plain(let connection):
            try await serveRequests(on: connection, secure: false, socket: connection.channel)
        case .tls(let channel, let negotiated):
            switch try await negotiated.get() {
            case .http1_1(let connection):
                try await serveRequests(on: connection, secure: true, socket: channel)
            case .http2((_, let streams)):
                try await withThrowingDiscardingTaskGroup { group in
                    for try await stream in streams.inbound {
                        group.addTask { try? await serveRequests(on: stream, secure: true, socket: channel) }
                    }
                }
            }
        }
    }

    /// Serves the requests of an HTTP/1.1 connection or an HTTP/2 stream, in turn; `socket` is
    /// the client's connection.
    private func serveRequests(on connection: ServerConnection.HTTP1Channel, secure: Bool, socket: any Channel) async throws {
        let clientAddress = socket.remoteAddress?.ipAddress
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
                    let exchange = ProxyExchange(request: request, secure: secure, clientAddress: clientAddress)
                    if WebSocketUpgrade.isRequested(request), try await tunnel(exchange, socket: socket, outbound) { return }
                    try await respond(to: exchange, body: body, outbound)
                    guard exchange.keepsAlive else { return }
                }
            }
        }
    }

    private func respond(to exchange: ProxyExchange, body: ByteBuffer, _ outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        if !exchange.secure, let httpsPort, servesTLS(exchange.host) {
            // As ingress-nginx's default `ssl-redirect`: permanent, method and body kept.
            return try await answer(.permanentRedirect, "308 permanent redirect\n", to: exchange, outbound, location: exchange.httpsLocation(port: httpsPort))
        }
        switch route(exchange.host, exchange.path) {
        case .notFound:
            try await answer(.notFound, "404 page not found\n", to: exchange, outbound)
        case .unavailable:
            try await answer(.serviceUnavailable, "503 service unavailable: no ready endpoints\n", to: exchange, outbound)
        case .forward(let addresses):
            let request = exchange.request
            let address = roundRobin.pick(addresses)
            var outgoing = HTTPClientRequest(url: "http://\(address)\(request.uri)")
            outgoing.method = request.method
            outgoing.headers = Self.forwardedHeaders(exchange)
            if body.readableBytes > 0 { outgoing.body = .bytes(body) }
            let response: HTTPClientResponse
            do {
                response = try await client.execute(outgoing, timeout: .seconds(60))
            } catch {
                logger.info("cannot reach the backend", metadata: ["endpoint": "\(address)", "error": "\(error)"])
                try await answer(.badGateway, "502 bad gateway\n", to: exchange, outbound)
                return
            }
            var headers = HTTPHeaders()
            for (name, value) in response.headers where !Self.hopByHop.contains(name.lowercased()) { headers.add(name: name, value: value) }
            if !exchange.keepsAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
            try await outbound.write(.head(HTTPResponseHead(version: request.version, status: response.status, headers: headers)))
            for try await chunk in response.body { try await outbound.write(.body(.byteBuffer(chunk))) }
            try await outbound.write(.end(nil))
        }
    }

    /// Forwards a WebSocket upgrade to the routed backend and pipes the connection to it until
    /// either side closes; false when it was not forwarded (the request is then answered as any
    /// other: 404, 503, a redirect, or 502 when the backend cannot be reached).
    private func tunnel(_ exchange: ProxyExchange, socket: any Channel, _ outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws -> Bool {
        guard exchange.secure || httpsPort == nil || !servesTLS(exchange.host),
            case .forward(let addresses) = route(exchange.host, exchange.path)
        else { return false }
        let address = roundRobin.pick(addresses)
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else { return false }
        let host = String(address[..<colon])
        let request = ByteBuffer(string: WebSocketUpgrade.backendRequest(exchange.request, forwardedHeaders: Self.forwardedHeaders(exchange)))
        let backend: any Channel
        do {
            backend = try await socket.eventLoop.flatSubmit {
                do {
                    return try socket.pipeline.syncOperations.handler(type: IngressTunnelHandler.self).open(host: host, port: port, request: request, on: socket.eventLoop)
                } catch {
                    return socket.eventLoop.makeFailedFuture(error)
                }
            }.get()
        } catch {
            logger.info("cannot reach the backend", metadata: ["endpoint": "\(address)", "error": "\(error)"])
            try await answer(.badGateway, "502 bad gateway\n", to: exchange, outbound)
            return true
        }
        try await backend.closeFuture.get()
        return true
    }

    /// The proxy's own short answer.
    private func answer(
        _ status: HTTPResponseStatus, _ text: String, to exchange: ProxyExchange, _ outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
        location: String? = nil
    ) async throws {
        var headers: HTTPHeaders = ["Content-Type": "text/plain; charset=utf-8", "Content-Length": "\(text.utf8.count)"]
        if let location { headers.add(name: "Location", value: location) }
        if !exchange.keepsAlive { headers.add(name: "Connection", value: "close") }
        try await outbound.write(.head(HTTPResponseHead(version: exchange.request.version, status: status, headers: headers)))
        if exchange.request.method != .HEAD { try await outbound.write(.body(.byteBuffer(ByteBuffer(string: text)))) }
        try await outbound.write(.end(nil))
    }

    /// The client's headers as the backend gets them: without hop-by-hop ones (and those
    /// `Connection` names), with `Host` kept and the `X-Forwarded-*` headers added.
    static func forwardedHeaders(_ exchange: ProxyExchange) -> HTTPHeaders {
        let requestHeaders = exchange.request.headers
        let named = Set(requestHeaders["Connection"].flatMap { $0.split(separator: ",").map { $0.filter { !$0.isWhitespace }.lowercased() } })
        var headers = HTTPHeaders()
        for (name, value) in requestHeaders where !hopByHop.contains(name.lowercased()) && !named.contains(name.lowercased()) {
            headers.add(name: name, value: value)
        }
        if let clientAddress = exchange.clientAddress {
            let forwarded = requestHeaders.first(name: "X-Forwarded-For").map { "\($0), \(clientAddress)" } ?? clientAddress
            headers.replaceOrAdd(name: "X-Forwarded-For", value: forwarded)
        }
        if let host = requestHeaders.first(name: "Host") { headers.replaceOrAdd(name: "X-Forwarded-Host", value: host) }
        headers.replaceOrAdd(name: "X-Forwarded-Proto", value: exchange.secure ? "https" : "http")
        return headers
    }
}
