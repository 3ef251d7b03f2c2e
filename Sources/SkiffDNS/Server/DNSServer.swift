import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The cluster DNS server: RFC 1035 over UDP and TCP (two-byte length prefix, RFC 1035 §4.2.2) on
/// one address and port. Queries are answered on the receive loop; forwarded ones in a task each.
public struct DNSServer: Service {
    /// Where it listens.
    public struct Configuration: Sendable {
        public var host = "0.0.0.0"
        /// 0: any free port (the same for UDP and TCP), reported to `onBound`.
        public var port = 53

        public init() {}
    }

    let configuration: Configuration
    let handler: DNSQueryHandler
    let logger: Logger
    let onBound: @Sendable (Int) async throws -> Void

    public init(configuration: Configuration, handler: DNSQueryHandler, logger: Logger, onBound: @escaping @Sendable (Int) async throws -> Void = { _ in }) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        self.onBound = onBound
    }

    fileprivate typealias UDPChannel = NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>
    fileprivate typealias TCPChannel = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    /// The sockets of a bound server.
    public struct Sockets: Sendable {
        fileprivate let udp: UDPChannel
        fileprivate let tcp: NIOAsyncChannel<TCPChannel, Never>
        /// The port both listen on.
        public let port: Int
    }

    /// Binds TCP, then UDP on the same port, and serves until graceful shutdown or cancellation.
    public func run() async throws {
        try await serve(try await bind())
    }

    /// Binds TCP, then UDP on the port TCP got.
    public func bind() async throws -> Sockets {
        let tcp = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
                    return try TCPChannel(wrappingChannelSynchronously: channel)
                }
            }
        let port = tcp.channel.localAddress?.port ?? configuration.port
        do {
            let udp = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
                .bind(host: configuration.host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture { try UDPChannel(wrappingChannelSynchronously: channel) }
                }
            return Sockets(udp: udp, tcp: tcp, port: port)
        } catch {
            // An async channel must be closed through it (dropping it unfinished traps).
            try? await tcp.executeThenClose { _ in }
            throw error
        }
    }

    /// Serves on bound sockets until graceful shutdown or cancellation.
    public func serve(_ sockets: Sockets) async throws {
        let (udp, tcp) = (sockets.udp, sockets.tcp)
        logger.notice("cluster DNS listening", metadata: ["address": "\(configuration.host):\(sockets.port)"])
        try await onBound(sockets.port)
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await serveUDP(udp) }
                group.addTask { try await serveTCP(tcp) }
            }
        } onGracefulShutdown: {
            udp.channel.close(promise: nil)
            tcp.channel.close(promise: nil)
        }
    }

    private func serveUDP(_ channel: UDPChannel) async throws {
        try await channel.executeThenClose { inbound, outbound in
            try await withThrowingDiscardingTaskGroup { group in
                for try await envelope in inbound {
                    let bytes = Array(envelope.data.readableBytesView)
                    switch handler.handle(bytes, overUDP: true) {
                    case .respond(let response):
                        try? await outbound.write(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: response)))
                    case .forward(let query):
                        group.addTask {
                            let response = await handler.forwarded(bytes, query: query)
                            try? await outbound.write(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: response)))
                        }
                    case .drop:
                        continue
                    }
                }
            }
        }
    }

    private func serveTCP(_ server: NIOAsyncChannel<TCPChannel, Never>) async throws {
        try await server.executeThenClose { connections in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in connections {
                    // Idle connections end at graceful shutdown rather than hold it up.
                    group.addTask {
                        try? await cancelWhenGracefulShutdown {
                            try await serve(connection)
                        }
                    }
                }
            }
        }
    }

    private func serve(_ connection: TCPChannel) async throws {
        try await connection.executeThenClose { inbound, outbound in
            for try await frame in inbound {
                let bytes = Array(frame.readableBytesView)
                let response: [UInt8]
                switch handler.handle(bytes, overUDP: false) {
                case .respond(let answer): response = answer
                case .forward(let query): response = await handler.forwarded(bytes, query: query)
                case .drop: continue
                }
                var buffer = ByteBuffer()
                buffer.writeInteger(UInt16(response.count))
                buffer.writeBytes(response)
                try await outbound.write(buffer)
            }
        }
    }
}

/// Splits a TCP stream into DNS messages by their two-byte length prefix.
struct DNSTCPFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
            buffer.readableBytes >= 2 + Int(length)
        else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 2)
        guard let message = buffer.readSlice(length: Int(length)) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(message))
        return .continue
    }
}
