import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The HTTP/1.1 server under the API: one task per connection, requests handled in order,
/// bodies capped, watch responses streamed with back-pressure.
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

        public init(host: String = "127.0.0.1", port: Int = 6443) {
            self.host = host
            self.port = port
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
        let accepted = AcceptedConnections()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return try accepted.accept(channel)
                }
            }
        await onBound(server.channel.localAddress?.port ?? configuration.port)
        do {
            try await withThrowingDiscardingTaskGroup { group in
                try await withGracefulShutdownHandler {
                    try await server.executeThenClose { connections in
                        for try await connection in connections {
                            accepted.served(connection)
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

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        let activity = ConnectionActivity()
        do {
            try await withGracefulShutdownHandler {
                try await serveRequests(on: connection, activity: activity)
            } onGracefulShutdown: {
                // An idle connection closes now; a busy one after its response.
                if activity.closeWhenIdle() { connection.channel.close(promise: nil) }
            }
        } catch {
            logger.debug("connection closed", metadata: ["error": "\(error)"])
        }
    }

    private func serveRequests(
        on connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, activity: ConnectionActivity
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
                    let request = HTTPRequest(method: requestHead.method, uri: requestHead.uri, headers: requestHead.headers, body: body)
                    let response: HTTPResponse
                    if tooLarge {
                        response = .error(.requestEntityTooLarge("Request entity too large: limit is \(configuration.maxBodyBytes)"))
                    } else {
                        response = await handler(request)
                    }
                    try await write(response, for: requestHead, to: outbound, channel: connection.channel)
                    head = nil
                    if case .upgrade = response.body { return }
                    guard activity.finishRequest() else { return }
                }
            }
        }
    }

    private func write(_ response: HTTPResponse, for request: HTTPRequestHead,
                       to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, channel: any Channel) async throws {
        var headers = response.headers
        headers.replaceOrAdd(name: "Date", value: HTTPDate.now())
        if Task.isShuttingDownGracefully { headers.replaceOrAdd(name: "Connection", value: "close") }
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
