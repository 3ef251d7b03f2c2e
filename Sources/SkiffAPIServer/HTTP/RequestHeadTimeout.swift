import NIOCore
import NIOHTTP1

/// Closes an HTTP/1.1 connection whose client does not finish a request's head in time, as
/// kube-apiserver's Go server does (`ReadHeaderTimeout` 32 s; `IdleTimeout` 90 s between
/// requests), without an answer: a client trickling its headers (slowloris) or connecting and
/// staying silent holds only its own connection, and not for long.
///
/// The head deadline starts when the handler is added (the connection is ready for its first
/// request); once a response ends the idle deadline starts and the next head cancels it (Go's
/// head deadline after the first byte of a further request is folded into the idle one). An
/// upgraded connection (`101`) belongs to its new protocol and is left alone.
final class RequestHeadTimeout: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let headTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private var deadline: Scheduled<Void>?
    private var upgraded = false

    init(headTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.headTimeout = headTimeout
        self.idleTimeout = idleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        arm(headTimeout, context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { disarm() }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status == .switchingProtocols:
            upgraded = true
        case .end where !upgraded:
            arm(idleTimeout, context: context)
        default:
            break
        }
        context.write(data, promise: promise)
    }

    private func arm(_ timeout: TimeAmount, context: ChannelHandlerContext) {
        disarm()
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}
