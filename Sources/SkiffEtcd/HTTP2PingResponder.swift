import NIOCore
import NIOHTTP2

/// Answers etcd's HTTP/2 PINGs itself, ahead of the gRPC client's HTTP/2 handler.
///
/// etcd's gRPC server (grpc-go) estimates the bandwidth-delay product of each connection with a
/// PING after every batch of request data it receives while none is outstanding, so a busy or
/// merely starting client gets hundreds of PINGs a minute. swift-nio-http2 counts inbound PING and
/// SETTINGS frames as a flood defence and closes the connection with `GOAWAY ENHANCE_YOUR_CALM`
/// after 200 in 30 seconds, which ended every watch and failed every request in flight with
/// `unavailable` (measured: the client's GOAWAY followed the 199th PING, 26 s after start).
/// grpc-swift-nio-transport does not expose that limit, so this handler, placed between the TLS
/// handler (if any) and the HTTP/2 handler, takes the server's PINGs out of the inbound bytes and
/// acknowledges each at once with the same data (RFC 9113 §6.7), as the HTTP/2 handler would.
/// Acknowledgements of PINGs and every other frame pass through untouched.
final class HTTP2PingResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = IOData

    private var filter = HTTP2PingFilter()
    private var unflushedAcks = false

    /// Installs a responder before the HTTP/2 handler of a gRPC client connection; must run on
    /// the channel's event loop before the connection reads (as the transport's connection
    /// callback does).
    static func install(on channel: any Channel) throws {
        let pipeline = channel.pipeline.syncOperations
        let http2 = try pipeline.handler(type: NIOHTTP2Handler.self)
        try pipeline.addHandler(HTTP2PingResponder(), position: .before(http2))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let output = filter.process(unwrapInboundIn(data))
        for bytes in output.passOn { context.fireChannelRead(wrapInboundOut(bytes)) }
        for ping in output.pings {
            context.write(wrapOutboundOut(.byteBuffer(Self.acknowledgement(of: ping, allocator: context.channel.allocator))), promise: nil)
            unflushedAcks = true
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if unflushedAcks {
            unflushedAcks = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    /// A PING frame with the ACK flag on stream 0 carrying `data`.
    static func acknowledgement(of data: UInt64, allocator: ByteBufferAllocator) -> ByteBuffer {
        var frame = allocator.buffer(capacity: HTTP2PingFilter.headerLength + HTTP2PingFilter.pingPayloadLength)
        frame.writeInteger(UInt8(0))
        frame.writeInteger(UInt16(HTTP2PingFilter.pingPayloadLength))
        frame.writeInteger(HTTP2PingFilter.pingType)
        frame.writeInteger(HTTP2PingFilter.ackFlag)
        frame.writeInteger(UInt32(0))
        frame.writeInteger(data)
        return frame
    }
}
