import NIOCore
import NIOPosix

/// Sits next to the socket (under TLS, over the HTTP codec) of a client's connection: it passes
/// bytes through until a forwarded protocol upgrade (WebSocket) opens a backend connection,
/// then pipes the bytes both ways, bypassing the HTTP codec, until either side closes. The
/// backend's answer to the upgrade (its `101`, or an error) reaches the client as it is.
/// No back-pressure: each side reads as fast as the other can be written to.
/// Added to each connection by `IngressProxyServer.bind`.
final class IngressTunnelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var context: ChannelHandlerContext?
    private var backend: (any Channel)?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let backend else { return context.fireChannelRead(data) }
        backend.writeAndFlush(unwrapInboundIn(data), promise: nil)
    }

    /// The HTTP server's pipeline handler holds reads back while a request waits for its
    /// answer, which a tunnel never sends: the tunnel asks for reads itself.
    func channelReadComplete(context: ChannelHandlerContext) {
        guard backend != nil else { return context.fireChannelReadComplete() }
        context.read()
    }

    func channelInactive(context: ChannelHandlerContext) {
        backend?.close(promise: nil)
        context.fireChannelInactive()
    }

    /// Connects to `host:port`, sends `request` and pipes from then on; the future is the
    /// backend's channel (its close future: the tunnel's end). On the client's event loop.
    func open(host: String, port: Int, request: ByteBuffer, on eventLoop: any EventLoop) -> EventLoopFuture<any Channel> {
        guard let context else { return eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel) }
        let tunnel = NIOLoopBound(self, eventLoop: context.eventLoop)
        return ClientBootstrap(group: context.eventLoop)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(BackendSide(tunnel: tunnel.value)) }
            }
            .connect(host: host, port: port)
            .map { channel in
                tunnel.value.backend = channel
                tunnel.value.context?.read()
                channel.writeAndFlush(request, promise: nil)
                return channel
            }
    }

    fileprivate func backendRead(_ buffer: ByteBuffer) {
        context?.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    fileprivate func backendClosed() {
        context?.close(promise: nil)
    }

    /// The backend connection's end of the tunnel (same event loop as the client's).
    private final class BackendSide: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer

        let tunnel: IngressTunnelHandler

        init(tunnel: IngressTunnelHandler) {
            self.tunnel = tunnel
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            tunnel.backendRead(unwrapInboundIn(data))
        }

        func channelInactive(context: ChannelHandlerContext) {
            tunnel.backendClosed()
            context.fireChannelInactive()
        }
    }
}
