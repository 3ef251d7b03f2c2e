import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Takes a connection over after a `101 Switching Protocols` response (exec, attach and
/// port-forward streams). Before the 101 is written, the upgrade's handlers are put in the
/// pipeline ahead of the HTTP codec (behind TLS), so every later byte goes to them; the session then
/// runs with the connection's messages, and the connection is closed when it returns.
public struct ConnectionUpgrade: Sendable {
    let install: @Sendable (any Channel) async throws -> @Sendable () async throws -> Void

    /// An upgrade whose session reads and writes `Message`s: `decoders` turn the raw bytes into
    /// `Message`s (installed before the 101 is written), `encoders` turn them back (installed
    /// after it, so the 101 itself passes untouched); both are created on the connection's event
    /// loop. With none, the messages are the bytes (`ByteBuffer`).
    public static func messages<Message: Sendable>(
        of type: Message.Type, decoders: @escaping @Sendable () -> [any ChannelHandler] = { [] },
        encoders: @escaping @Sendable () -> [any ChannelHandler] = { [] },
        session: @escaping @Sendable (UpgradedConnection<Message>) async throws -> Void
    ) -> ConnectionUpgrade {
        ConnectionUpgrade { channel in
            let connection = try await UpgradedConnection<Message>.install(on: channel, handlers: decoders)
            return {
                try await connection.addEncoders(encoders)
                try await session(connection)
            }
        }
    }
}

/// The messages of an upgraded connection: what the peer sent, in order, and a way to send.
public struct UpgradedConnection<Message: Sendable>: Sendable {
    /// The peer's messages; ends when the peer closes the connection.
    public let inbound: AsyncStream<Message>
    let channel: any Channel
    let bridge: NIOLoopBound<UpgradeBridge<Message>>

    /// Opens a TCP connection to `host`:`port` whose messages are its bytes: plain, or with
    /// `tls`, over TLS whose server certificate must name `serverHostname`.
    public static func connect(host: String, port: Int, tls: NIOSSLContext? = nil, serverHostname: String? = nil,
                               timeout: TimeAmount = .seconds(10)) async throws -> UpgradedConnection
    where Message == ByteBuffer {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let tls else { return }
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverHostname))
                }
            }
            .connect(host: host, port: port).get()
        return try await install(on: channel, handlers: { [] })
    }

    /// Puts `handlers` and a bridge to the returned connection at the front of `channel`'s
    /// pipeline; from then on the connection receives every inbound message.
    static func install(on channel: any Channel, handlers: @escaping @Sendable () -> [any ChannelHandler]) async throws -> UpgradedConnection {
        let (inbound, continuation) = AsyncStream<Message>.makeStream()
        let bridge = try await channel.eventLoop.submit {
            let bridge = UpgradeBridge<Message>(continuation: continuation)
            // Right before the HTTP codec, or last on a connection without one: behind TLS, if the connection has it.
            let pipeline = channel.pipeline.syncOperations
            let position: ChannelPipeline.SynchronousOperations.Position =
                (try? pipeline.handler(type: HTTPResponseEncoder.self)).map { .before($0) } ?? .last
            try pipeline.addHandlers(handlers() + [bridge], position: position)
            return NIOLoopBound(bridge, eventLoop: channel.eventLoop)
        }.get()
        return UpgradedConnection(inbound: inbound, channel: channel, bridge: bridge)
    }

    /// Puts `encoders` between the bridge and the socket, for the messages the session writes.
    func addEncoders(_ encoders: @escaping @Sendable () -> [any ChannelHandler]) async throws {
        let bridge = bridge
        try await channel.eventLoop.submit {
            let handlers = encoders()
            guard !handlers.isEmpty else { return }
            try bridge.value.addBefore(handlers)
        }.get()
    }

    /// Sends one message (flushed).
    public func write(_ message: Message) async throws {
        let bridge = bridge
        let eventLoop = channel.eventLoop
        try await eventLoop.flatSubmit { bridge.value.write(message) ?? eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel) }.get()
    }

    /// Ends this side's sending (a TCP half-close); the peer's messages keep arriving.
    public func closeOutput() {
        channel.close(mode: .output, promise: nil)
    }

    /// Closes the connection (the peer's messages end).
    public func close() {
        channel.close(promise: nil)
    }
}

/// The last of an upgrade's handlers: hands inbound messages to the session's stream (never to
/// the HTTP handlers behind it) and writes the session's messages towards the socket.
final class UpgradeBridge<Message: Sendable>: ChannelInboundHandler {
    typealias InboundIn = Message
    typealias OutboundOut = Message

    private let continuation: AsyncStream<Message>.Continuation
    private var context: ChannelHandlerContext?

    init(continuation: AsyncStream<Message>.Continuation) {
        self.continuation = continuation
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        continuation.finish()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        continuation.yield(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish()
        context.close(promise: nil)
    }

    /// Adds `handlers` just before this one (towards the socket).
    func addBefore(_ handlers: [any ChannelHandler]) throws {
        guard let context else { throw ChannelError.ioOnClosedChannel }
        try context.pipeline.syncOperations.addHandlers(handlers, position: .before(self))
    }

    /// Writes and flushes `message`; nil once the handler is gone.
    func write(_ message: Message) -> EventLoopFuture<Void>? {
        context.map { $0.writeAndFlush(wrapOutboundOut(message)) }
    }
}
