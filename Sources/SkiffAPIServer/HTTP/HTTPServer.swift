import Logging
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL
import ServiceLifecycle
import X509

/// The HTTP server under the API: one task per connection, requests handled in order (over
/// HTTPS, HTTP/2 by ALPN with one task per stream), bodies capped, watch responses streamed
/// with back-pressure (HTTP/2 flow control per stream).
///
/// A `Service`: graceful shutdown stops accepting, ends streamed responses (watches) with the
/// final chunk so clients see a clean end, lets the requests in flight finish (their responses
/// say `Connection: close`) and closes idle connections; cancellation drops everything at once.
public struct HTTPServer: Service {
    /// What to listen on and how much to accept.
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        public var port = 6443
        /// Bodies larger than this get `413 RequestEntityTooLarge` (upstream: 3 MiB).
        public var maxBodyBytes = 3 * 1024 * 1024
        /// Serve HTTPS with these certificates; nil serves plain HTTP.
        public var tls: TLSServing?
        /// Offer HTTP/2 by ALPN (HTTPS only).
        public var http2 = true
        /// Concurrent streams a client may open on one HTTP/2 connection (upstream's
        /// `--http2-max-streams-per-connection`, 1000 in kube-apiserver, for clients that
        /// multiplex many watches on one connection).
        public var http2MaxStreamsPerConnection = 1000
        /// A connection whose TLS handshake and protocol negotiation take longer is closed
        /// (upstream's secure server reads headers, the handshake included, within 32 s).
        public var handshakeTimeout: TimeAmount = .seconds(32)
        /// Headers larger than this (and Go's 4 KiB of slack) get `431` (upstream: 1 MiB).
        public var maxHeaderBytes = 1 << 20
        /// An HTTP/1.1 connection whose client has not sent a request's whole head by then is
        /// closed without an answer (upstream's `ReadHeaderTimeout`: 32 s).
        public var readHeaderTimeout: TimeAmount = .seconds(32)
        /// An HTTP/1.1 connection idle this long between requests is closed (upstream: 90 s).
        public var idleTimeout: TimeAmount = .seconds(90)

        public init(host: String = "127.0.0.1", port: Int = 6443, tls: TLSServing? = nil) {
            self.host = host
            self.port = port
            self.tls = tls
        }

        /// The limits each connection is served with.
        var connectionLimits: ServerConnection.Limits {
            ServerConnection.Limits(maxHeaderBytes: maxHeaderBytes, readHeaderTimeout: readHeaderTimeout, idleTimeout: idleTimeout,
                                    handshakeTimeout: handshakeTimeout)
        }

        /// NIO's HTTP/2 settings with this server's stream limit and header limit (Go's HTTP/2
        /// server advertises `MaxHeaderBytes` plus 32 bytes for each of 10 typical fields; NIO's
        /// default is 16 KiB).
        var http2Settings: NIOHTTP2Handler.Configuration {
            var settings = NIOHTTP2Handler.Configuration()
            settings.connection.initialSettings = nioDefaultSettings.map { setting in
                switch setting.parameter {
                case .maxConcurrentStreams: HTTP2Setting(parameter: .maxConcurrentStreams, value: http2MaxStreamsPerConnection)
                case .maxHeaderListSize: HTTP2Setting(parameter: .maxHeaderListSize, value: maxHeaderBytes + 10 * 32)
                default: setting
                }
            }
            return settings
        }
    }

    /// Handles one request.
    public typealias Handler = @Sendable (HTTPRequest) async -> HTTPResponse

    let configuration: Configuration
    let handler: Handler
    let logger: Logger

    public init(configuration: Configuration, logger: Logger, handler: @escaping Handler) {
        self.configuration = configuration
        self.logger = logger
        self.handler = handler
    }

    /// Binds the socket and serves until graceful shutdown or cancellation.
    public func run() async throws {
        try await run(onBound: { _ in })
    }

    /// Binds the socket and serves until graceful shutdown or cancellation. `onBound` receives
    /// the bound port.
    public func run(onBound: @Sendable (Int) async -> Void) async throws {
        let tls = try configuration.tls.map { try NIOSSLContext(configuration: $0.makeConfiguration(http2: configuration.http2)) }
        let (http2, limits) = (configuration.http2Settings, configuration.connectionLimits)
        let accepted = AcceptedConnections<ServerConnection> { await $0.abandon() }
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try accepted.accept(channel) { try ServerConnection.configure($0, tls: tls, http2: http2, limits: limits) }
                }
            }
        await onBound(server.channel.localAddress?.port ?? configuration.port)
        do {
            try await withThrowingDiscardingTaskGroup { group in
                try await withGracefulShutdownHandler {
                    try await server.executeThenClose { connections in
                        for try await connection in connections {
                            accepted.served(connection.channel)
                            group.addTask { await serve(connection) }
                        }
                    }
                } onGracefulShutdown: {
                    // Closing the listening socket ends the accept loop; the group then waits
                    // for the connections, which finish what they serve.
                    server.channel.close(promise: nil)
                }
            }
        } catch {
            await accepted.stop()
            throw error
        }
        await accepted.stop()
    }

    private func serve(_ connection: ServerConnection) async {
        switch connection {
        case .plain(let connection):
            await serveHTTP1(connection, clientCertificate: nil)
        case .tls(let channel, let negotiated):
            // A client that never finishes its handshake must not hold up shutdown.
            let settled = await withGracefulShutdownHandler {
                try? await negotiated.get()
            } onGracefulShutdown: {
                channel.close(promise: nil)
            }
            let certificate = await ServerConnection.clientCertificate(of: channel)
            switch settled {
            case .http1_1(let connection)?:
                await serveHTTP1(connection, clientCertificate: certificate)
            case .http2((_, let streams))?:
                await serveHTTP2(streams, on: channel, clientCertificate: certificate)
            case nil:
                channel.close(promise: nil)
            }
        }
    }

    private func serveHTTP1(_ connection: ServerConnection.HTTP1Channel, clientCertificate: Certificate?) async {
        let activity = ConnectionActivity()
        do {
            try await withGracefulShutdownHandler {
                try await serveRequests(on: connection, activity: activity, clientCertificate: clientCertificate)
            } onGracefulShutdown: {
                // An idle connection closes now; a busy one after its response.
                if activity.closeWhenIdle() { connection.channel.close(promise: nil) }
            }
        } catch {
            logger.debug("connection closed", metadata: ["error": "\(error)"])
        }
    }

    /// Serves each stream of an HTTP/2 connection as one request; graceful shutdown closes the
    /// connection once its streams in flight are done.
    private func serveHTTP2(
        _ streams: NIOHTTP2Handler.AsyncStreamMultiplexer<ServerConnection.HTTP1Channel>, on channel: any Channel,
        clientCertificate: Certificate?
    ) async {
        let activity = ConnectionActivity()
        do {
            try await withThrowingDiscardingTaskGroup { group in
                try await withGracefulShutdownHandler {
                    for try await stream in streams.inbound {
                        activity.startRequest()
                        group.addTask {
                            do {
                                try await serveRequests(on: stream, activity: ConnectionActivity(), clientCertificate: clientCertificate)
                            } catch {
                                logger.debug("stream closed", metadata: ["error": "\(error)"])
                            }
                            if !activity.finishRequest() { channel.close(promise: nil) }
                        }
                    }
                } onGracefulShutdown: {
                    if activity.closeWhenIdle() { channel.close(promise: nil) }
                }
            }
        } catch {
            logger.debug("connection closed", metadata: ["error": "\(error)"])
        }
        channel.close(promise: nil)
    }

    private func serveRequests(
        on connection: ServerConnection.HTTP1Channel, activity: ConnectionActivity, clientCertificate: Certificate?
    ) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            var tooLarge = false
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    activity.startRequest()
                    head = requestHead
                    body.removeAll(keepingCapacity: true)
                    tooLarge = false
                case .body(let buffer):
                    if body.count + buffer.readableBytes > configuration.maxBodyBytes {
                        tooLarge = true
                    } else if !tooLarge {
                        body.append(contentsOf: buffer.readableBytesView)
                    }
                case .end:
                    guard let requestHead = head else { continue }
                    var request = HTTPRequest(method: requestHead.method, uri: requestHead.uri, headers: requestHead.headers, body: body)
                    request.clientCertificate = clientCertificate
                    request.remoteAddress = connection.channel.remoteAddress?.ipAddress
                    let response: HTTPResponse
                    if tooLarge {
                        response = .error(.requestEntityTooLarge("Request entity too large: limit is \(configuration.maxBodyBytes)"))
                    } else {
                        response = await handler(request)
                    }
                    try await write(response, for: requestHead, to: outbound, channel: connection.channel)
                    head = nil
                    if case .upgrade = response.body { return }
                    guard activity.finishRequest(), !Self.closesAfterResponse(requestHead) else { return }
                }
            }
        }
    }

    /// Whether the connection ends with this request's response, as Go's server decides: an
    /// HTTP/1 client that did not ask to keep it alive (`Connection: close`, or HTTP/1.0 without
    /// `keep-alive`), or a server shutting down gracefully. (An HTTP/2 stream ends by itself.)
    private static func closesAfterResponse(_ request: HTTPRequestHead) -> Bool {
        Task.isShuttingDownGracefully || (request.version.major == 1 && !request.isKeepAlive)
    }

    private func write(_ response: HTTPResponse, for request: HTTPRequestHead,
                       to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, channel: any Channel) async throws {
        var headers = response.headers
        headers.replaceOrAdd(name: "Date", value: HTTPDate.now())
        if Self.closesAfterResponse(request) { headers.replaceOrAdd(name: "Connection", value: "close") }
        if request.method == .HEAD, case .bytes(let bytes) = response.body {
            headers.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
            try await outbound.write(.head(HTTPResponseHead(version: request.version, status: response.status, headers: headers)))
            try await outbound.write(.end(nil))
            return
        }
        switch response.body {
        case .bytes(let bytes):
            headers.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
            let buffer = channel.allocator.buffer(bytes: bytes)
            try await outbound.write(contentsOf: [
                .head(HTTPResponseHead(version: request.version, status: response.status, headers: headers)),
                .body(.byteBuffer(buffer)), .end(nil),
            ])
        case .stream(let produce):
            headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
            try await outbound.write(.head(HTTPResponseHead(version: request.version, status: response.status, headers: headers)))
            let allocator = channel.allocator
            let writer = ResponseBodyWriter { bytes in
                try await outbound.write(.body(.byteBuffer(allocator.buffer(bytes: bytes))))
            }
            // The stream ends when the producer returns, the client goes away or the server
            // shuts down gracefully (then the final chunk tells the client it ended cleanly).
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await produce(writer) }
                group.addTask { await ChannelCloseSignal.wait(for: channel) }
                group.addTask { try await gracefulShutdown() }
                try await group.next()
                group.cancelAll()
            }
            try await outbound.write(.end(nil))
        case .upgrade(let upgrade):
            // The new protocol's handlers go in first, so no byte after the 101 reaches HTTP.
            let session = try await upgrade.install(channel)
            try await outbound.write(contentsOf: [.head(HTTPResponseHead(version: request.version, status: response.status, headers: headers)), .end(nil)])
            try await session()
        }
    }
}
