import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOSSL
import X509

/// An accepted connection: plain HTTP/1.1, or TLS whose protocol (`h2` or `http/1.1`) ALPN
/// settles once the handshake is done. Public for the other servers that speak HTTP/1.1 and, over
/// TLS, HTTP/2 by ALPN the same way (the ingress proxy).
public enum ServerConnection: Sendable {
    /// Requests and responses of one HTTP/1.1 connection or of one HTTP/2 stream.
    public typealias HTTP1Channel = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
    /// What ALPN settled: an HTTP/1.1 connection, or the streams of an HTTP/2 connection.
    public typealias Negotiated = NIONegotiatedHTTPVersion<HTTP1Channel, (Void, NIOHTTP2Handler.AsyncStreamMultiplexer<HTTP1Channel>)>

    case plain(HTTP1Channel)
    case tls(channel: any Channel, negotiated: EventLoopFuture<Negotiated>)

    /// Sets up a new child channel (on its event loop): HTTP/1.1, or TLS with ALPN when `tls` is
    /// given (then each HTTP/2 stream gets an HTTP/1 codec, so both protocols are served by the
    /// same code); a TLS connection not negotiated within `handshakeTimeout` is closed.
    public static func configure(
        _ channel: any Channel, tls: NIOSSLContext?, http2: NIOHTTP2Handler.Configuration, handshakeTimeout: TimeAmount
    ) throws -> ServerConnection {
        guard let tls else {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
            return .plain(try HTTP1Channel(wrappingChannelSynchronously: channel))
        }
        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
        let negotiated = channel.configureAsyncHTTPServerPipeline(
            http2Configuration: http2,
            http1ConnectionInitializer: { connection in
                connection.eventLoop.makeCompletedFuture { try HTTP1Channel(wrappingChannelSynchronously: connection) }
            },
            http2ConnectionInitializer: { connection in connection.eventLoop.makeSucceededVoidFuture() },
            http2StreamInitializer: { stream in
                stream.eventLoop.makeCompletedFuture {
                    try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                    return try HTTP1Channel(wrappingChannelSynchronously: stream)
                }
            })
        let settled = negotiated.flatMap { $0 }
        let deadline = channel.eventLoop.scheduleTask(in: handshakeTimeout) { channel.close(promise: nil) }
        settled.whenComplete { _ in deadline.cancel() }
        return .tls(channel: channel, negotiated: settled)
    }

    /// The underlying socket's channel.
    public var channel: any Channel {
        switch self {
        case .plain(let connection): connection.channel
        case .tls(let channel, _): channel
        }
    }

    /// Closes a connection that was never served, finishing whatever was wrapped for async use.
    public func abandon() async {
        switch self {
        case .plain(let connection):
            try? await connection.executeThenClose { _, _ in }
        case .tls(let channel, let negotiated):
            channel.close(promise: nil)
            if case .http1_1(let connection)? = try? await negotiated.get() {
                try? await connection.executeThenClose { _, _ in }
            }
        }
    }

    /// The certificate the client presented in the TLS handshake (verified against the client
    /// CA by then), or nil.
    static func clientCertificate(of channel: any Channel) async -> Certificate? {
        guard let presented = try? await channel.nioSSL_peerCertificate().get(),
              let der = try? presented.toDERBytes() else { return nil }
        return try? Certificate(derEncoded: der)
    }
}
