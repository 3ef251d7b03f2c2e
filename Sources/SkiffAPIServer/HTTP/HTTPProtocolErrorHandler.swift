import NIOCore
import NIOHTTP1

/// Answers a request the HTTP/1.1 decoder cannot read as Go's server does, then closes the
/// connection: headers over the limit are `431 Request Header Fields Too Large`, anything else
/// `400 Bad Request`, each with its status line as a `text/plain` body. (NIO's own handler
/// answers `400` to both.) Nothing is written when a response is already under way.
///
/// After answering, the connection keeps reading (and dropping) what the client still sends, and
/// closes once the client has sent nothing for ``lingerTime`` or ``maximumLinger`` has passed
/// (a client that closes first ends the connection itself): closing with unread bytes in the receive buffer makes the kernel reset the
/// connection, and a reset can discard the answer before the client has read it (Go lingers for
/// the same reason).
final class HTTPProtocolErrorHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// How long a client may send nothing before the answered connection is closed.
    static let lingerTime: TimeAmount = .seconds(2)
    /// The longest the answered connection stays open to drain the client's bytes.
    static let maximumLinger: TimeAmount = .seconds(30)

    private var responding = false
    private var draining = false
    private var lingering: Scheduled<Void>?
    private var closeBy: NIODeadline = .distantFuture

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if draining, case ByteToMessageDecoderError.dataReceivedInErrorState = error {
            // More bytes: the client is still sending; wait for it to stop.
            linger(context.channel)
            return
        }
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
        closeBy = .now() + Self.maximumLinger
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        linger(context.channel)
    }

    /// Closes `channel` after `lingerTime` more, or at `closeBy` if that comes first.
    private func linger(_ channel: any Channel) {
        lingering?.cancel()
        let at = min(.now() + Self.lingerTime, closeBy)
        lingering = channel.eventLoop.scheduleTask(deadline: at) { channel.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        lingering?.cancel()
        lingering = nil
        context.fireChannelInactive()
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
