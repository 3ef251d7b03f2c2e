import NIOCore
import NIOPosix
import SkiffAPIServer
import SkiffTesting
import Synchronization
import Testing

/// The HTTP/1.1 limits of upstream's Go server: oversized headers get `431` as Go words it, a
/// client that never finishes a request's head (slowloris) or idles between requests is cut off
/// without stalling anyone else.
@Suite struct HTTPServerLimitsTests {
    /// Runs a plain server with small limits answering `ok` for the duration of `body`. The tests
    /// of the timeouts make them short (2 s: long enough for a loaded machine to send a whole
    /// request in time); the others keep them out of the way (5 min, beyond the tests' time
    /// limit), since a test task of a loaded full run may resume long after its connect.
    private func withServer(timeouts: TimeAmount = .minutes(5), _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        configuration.maxHeaderBytes = 1024
        configuration.readHeaderTimeout = timeouts
        configuration.idleTimeout = timeouts
        let server = HTTPServer(configuration: configuration, logger: InProcessCluster.quietLogger) { _ in .text("ok") }
        try await withLoopbackServer(server, body)
    }

    @Test(.timeLimit(.minutes(3))) func headersOverTheLimitGet431AsGoAnswers() async throws {
        try await withServer { port in
            let large = "GET /api HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 8192))\r\n\r\n"
            let answer = try await RawClient.exchange(port: port, sending: large)
            #expect(answer.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
            #expect(answer.contains("Content-Type: text/plain; charset=utf-8"))
            #expect(answer.hasSuffix("\r\n\r\n431 Request Header Fields Too Large"))
            // Within the limit and Go's slack: served.
            let fitting = "GET /api HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: \(String(repeating: "a", count: 3000))\r\n\r\n"
            #expect(try await RawClient.exchange(port: port, sending: fitting).hasPrefix("HTTP/1.1 200 OK"))
        }
    }

    @Test(.timeLimit(.minutes(3))) func aMalformedRequestGets400() async throws {
        try await withServer { port in
            let answer = try await RawClient.exchange(port: port, sending: "GET /api HTTP/1.1\r\nHost x\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            #expect(answer.hasSuffix("\r\n\r\n400 Bad Request"))
        }
    }

    @Test(.timeLimit(.minutes(3))) func aClientThatNeverFinishesItsHeadIsCutOffWithoutStallingOthers() async throws {
        try await withServer(timeouts: .seconds(2)) { port in
            let slow = try await RawClient.connect(port: port, sending: "GET /api HTTP/1.1\r\nHost: x\r\nX-Slow: a")
            // Another client is served meanwhile.
            let other = try await RawClient.exchange(port: port, sending: "GET /api HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(other.hasPrefix("HTTP/1.1 200 OK"))
            // The slow one is closed without an answer.
            #expect(try await slow.received() == "")
        }
    }

    @Test(.timeLimit(.minutes(3))) func anIdleConnectionIsClosedAfterItsResponse() async throws {
        try await withServer(timeouts: .seconds(2)) { port in
            let answer = try await RawClient.exchange(port: port, sending: "GET /api HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 200 OK"))
            #expect(answer.hasSuffix("ok"))
        }
    }
}

/// A TCP client that writes raw bytes and collects what the server sends until it closes.
///
/// The bytes go out from the event loop as soon as the connection is up, not when the test task
/// next runs: on a loaded machine that can be later than the server's short test timeouts.
struct RawClient {
    let channel: any Channel
    let collector: Collector

    /// Connects and sends `text` the moment the connection is established.
    static func connect(port: Int, sending text: String) async throws -> RawClient {
        let collector = Collector(greeting: text)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) } }
            .connect(host: "127.0.0.1", port: port).get()
        return RawClient(channel: channel, collector: collector)
    }

    /// Connects, sends `text` and returns everything received until the server closed.
    static func exchange(port: Int, sending text: String) async throws -> String {
        try await connect(port: port, sending: text).received()
    }

    /// What the server sent, once it closed the connection.
    func received() async throws -> String {
        try await channel.closeFuture.get()
        return collector.text
    }

    /// Sends the greeting once connected and accumulates the inbound bytes.
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        private let greeting: String
        private let bytes = Mutex<[UInt8]>([])

        init(greeting: String) { self.greeting = greeting }

        var text: String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }

        func channelActive(context: ChannelHandlerContext) {
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: greeting)), promise: nil)
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            bytes.withLock { $0.append(contentsOf: buffer.readableBytesView) }
        }

        /// A reset ends the collection: what arrived before it is the answer.
        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
