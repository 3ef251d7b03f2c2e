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

    /// What a connection may take (kube-apiserver's Go server's limits).
    public struct Limits: Sendable {
        /// Bytes of a request's headers (Go's `MaxHeaderBytes`, 1 MiB in kube-apiserver; Go
        /// reads 4 KiB more before it answers `431`).
        public var maxHeaderBytes: Int
        /// Time to a request's complete head (`ReadHeaderTimeout`, 32 s).
        public var readHeaderTimeout: TimeAmount
        /// Time between requests on an idle HTTP/1.1 connection (`IdleTimeout`, 90 s).
        public var idleTimeout: TimeAmount
        /// Time for the TLS handshake and protocol negotiation.
        public var handshakeTimeout: TimeAmount

        public init(maxHeaderBytes: Int = 1 << 20, readHeaderTimeout: TimeAmount = .seconds(32), idleTimeout: TimeAmount = .seconds(90),
                    handshakeTimeout: TimeAmount = .seconds(32)) {
            self.maxHeaderBytes = maxHeaderBytes
            self.readHeaderTimeout = readHeaderTimeout
            self.idleTimeout = idleTimeout
            self.handshakeTimeout = handshakeTimeout
        }
    }

    /// Sets up a new child channel (on its event loop): HTTP/1.1, or TLS with ALPN when `tls` is
    /// given (then each HTTP/2 stream gets an HTTP/1 codec, so both protocols are served by the
    /// same code); a TLS connection not negotiated within the handshake timeout is closed.
    public static func configure(
        _ channel: any Channel, tls: NIOSSLContext?, http2: NIOHTTP2Handler.Configuration, limits: Limits
    ) throws -> ServerConnection {
        guard let tls else {
            try configureHTTP1(channel.pipeline.syncOperations, limits: limits)
            return .plain(try HTTP1Channel(wrappingChannelSynchronously: channel))
        }
        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
        let negotiated = channel.configureHTTP2AsyncSecureUpgrade(
            http1ConnectionInitializer: { connection in
                connection.eventLoop.makeCompletedFuture {
                    try configureHTTP1(connection.pipeline.syncOperations, limits: limits)
                    return try HTTP1Channel(wrappingChannelSynchronously: connection)
                }
            },
            http2ConnectionInitializer: { connection in
                connection.configureAsyncHTTP2Pipeline(mode: .server, configuration: http2) { stream in
                    stream.eventLoop.makeCompletedFuture {
                        try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                        return try HTTP1Channel(wrappingChannelSynchronously: stream)
                    }
                }.map { ((), $0) }
            })
        let settled = negotiated.flatMap { $0 }
        let deadline = channel.eventLoop.scheduleTask(in: limits.handshakeTimeout) { channel.close(promise: nil) }
        settled.whenComplete { _ in deadline.cancel() }
        return .tls(channel: channel, negotiated: settled)
    }

    /// The HTTP/1.1 handlers with the limits: NIO's codec (headers up to the limit), Go's
    /// answers to unreadable requests, the head and idle deadlines.
    private static func configureHTTP1(_ pipeline: ChannelPipeline.SynchronousOperations, limits: Limits) throws {
        var decoderLimits = NIOHTTPDecoderLimitConfiguration()
        decoderLimits.maxHeaderFieldSize = limits.maxHeaderBytes + 4096
        decoderLimits.maxHeaderListSize = limits.maxHeaderBytes + 4096
        try pipeline.configureHTTPServerPipeline(withErrorHandling: false, withEncoderConfiguration: .init(),
                                                  withDecoderLimitConfiguration: decoderLimits)
        try pipeline.addHandler(HTTPProtocolErrorHandler())
        try pipeline.addHandler(RequestHeadTimeout(headTimeout: limits.readHeaderTimeout, idleTimeout: limits.idleTimeout))
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
