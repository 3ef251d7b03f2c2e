import NIOCore
import NIOHTTP1

/// Answers a request the HTTP/1.1 decoder cannot read as Go's server does, then closes the
/// connection: headers over the limit are `431 Request Header Fields Too Large`, anything else
/// `400 Bad Request`, each with its status line as a `text/plain` body. (NIO's own handler
/// answers `400` to both.) Nothing is written when a response is already under way.
///
/// After answering, the connection keeps reading (and dropping) what the client still sends until
/// the client stops or ``lingerTime`` passes, and only then closes: closing with unread bytes in
/// the receive buffer makes the kernel reset the connection, and a reset can discard the answer
/// before the client has read it (Go lingers for the same reason).
final class HTTPProtocolErrorHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// The longest the connection stays open to drain the client's bytes after the answer.
    static let lingerTime: TimeAmount = .seconds(2)

    private var responding = false
    private var draining = false

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if draining, case ByteToMessageDecoderError.dataReceivedInErrorState = error { return }
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        guard !responding, !draining else {
            context.fireErrorCaught(error)
            return
        }
        draining = true
        let status: HTTPResponseStatus = parserError == .headerOverflow ? .requestHeaderFieldsTooLarge : .badRequest
        let text = "\(status.code) \(status.reasonPhrase)"
        let headers: HTTPHeaders = ["Content-Type": "text/plain; charset=utf-8", "Connection": "close", "Content-Length": String(text.utf8.count)]
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            channel.eventLoop.scheduleTask(in: Self.lingerTime) { channel.close(promise: nil) }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if draining, case ChannelEvent.inputClosed = event {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200: responding = true
        case .end: responding = false
        default: break
        }
        context.write(data, promise: promise)
    }
}
