import NIOCore
import NIOEmbedded
@testable import SkiffEtcd
import Testing

/// The etcd client's answer to the server's HTTP/2 PINGs (`HTTP2PingFilter`, `HTTP2PingResponder`).
@Suite struct HTTP2PingFilterTests {
    /// One HTTP/2 frame's bytes.
    private static func frame(type: UInt8, flags: UInt8 = 0, stream: UInt32 = 0, payload: [UInt8]) -> [UInt8] {
        let length = payload.count
        return [UInt8(length >> 16), UInt8(length >> 8 & 0xff), UInt8(length & 0xff), type, flags]
            + [UInt8(stream >> 24), UInt8(stream >> 16 & 0xff), UInt8(stream >> 8 & 0xff), UInt8(stream & 0xff)] + payload
    }

    private static func ping(_ data: UInt64, ack: Bool = false) -> [UInt8] {
        frame(type: 6, flags: ack ? 1 : 0, payload: (0..<8).map { UInt8(data >> (56 - 8 * $0) & 0xff) })
    }

    /// SETTINGS, a PING, a DATA frame, a PING acknowledgement, HEADERS and a second PING: what the
    /// HTTP/2 handler must still see, and the PINGs taken out.
    private static let kept = [
        frame(type: 4, payload: [0, 5, 0, 0, 64, 0]),
        frame(type: 0, stream: 1, payload: Array(repeating: 7, count: 100)),
        ping(99, ack: true),
        frame(type: 1, flags: 4, stream: 3, payload: Array(repeating: 9, count: 20)),
    ]
    private static let wire = kept[0] + ping(0x0102_0304_0506_0708) + kept[1] + kept[2] + kept[3] + ping(43)

    @Test func takesOutPingsWhateverTheReadBoundaries() {
        for chunk in 1...Self.wire.count {
            var filter = HTTP2PingFilter()
            var passed: [UInt8] = []
            var pings: [UInt64] = []
            for start in stride(from: 0, to: Self.wire.count, by: chunk) {
                let output = filter.process(ByteBuffer(bytes: Self.wire[start..<min(start + chunk, Self.wire.count)]))
                for var bytes in output.passOn { passed += bytes.readBytes(length: bytes.readableBytes) ?? [] }
                pings += output.pings
            }
            #expect(passed == Self.kept.flatMap { $0 }, "reads of \(chunk) bytes")
            #expect(pings == [0x0102_0304_0506_0708, 43], "reads of \(chunk) bytes")
        }
    }

    @Test func passesAReadWithoutPingsOnInOnePiece() {
        var filter = HTTP2PingFilter()
        let read = ByteBuffer(bytes: Self.kept.flatMap { $0 })
        #expect(filter.process(read) == .init(passOn: [read], pings: []))
    }

    @Test func malformedPingsAreLeftToTheHTTP2Handler() {
        var filter = HTTP2PingFilter()
        let onAStream = Self.frame(type: 6, stream: 1, payload: Array(repeating: 1, count: 8))
        let short = Self.frame(type: 6, payload: [1, 2, 3])
        let output = filter.process(ByteBuffer(bytes: onAStream + short))
        #expect(output.pings.isEmpty)
        #expect(output.passOn == [ByteBuffer(bytes: onAStream + short)])
    }

    @Test func responderAcknowledgesEachPingAndPassesTheRestOn() throws {
        let channel = EmbeddedChannel(handler: HTTP2PingResponder())
        try channel.writeInbound(ByteBuffer(bytes: Self.wire))
        channel.pipeline.fireChannelReadComplete()
        var passed: [UInt8] = []
        while var bytes = try channel.readInbound(as: ByteBuffer.self) { passed += bytes.readBytes(length: bytes.readableBytes) ?? [] }
        #expect(passed == Self.kept.flatMap { $0 })
        var acks: [[UInt8]] = []
        while case .byteBuffer(var bytes)? = try channel.readOutbound(as: IOData.self) { acks.append(bytes.readBytes(length: bytes.readableBytes) ?? []) }
        #expect(acks == [Self.ping(0x0102_0304_0506_0708, ack: true), Self.ping(43, ack: true)])
        #expect(try channel.finish().isClean)
    }
}
