@testable import SkiffKubelet
import Testing

/// SPDY/3.1 framing: the header dictionary, header blocks through zlib, frames split anywhere.
@Suite struct SPDYFramingTests {
    @Test func dictionaryIsSPDY3s() {
        let bytes = SPDYDictionary.bytes
        #expect(bytes.count == 1423)
        #expect(Array(bytes.prefix(11)) == [0, 0, 0, 7] + Array("options".utf8))
        #expect(String(decoding: bytes.suffix(6), as: UTF8.self) == "enq=0.")
    }

    @Test func framesRoundTripThroughOneCompressionContextEach() throws {
        let encoder = try SPDYFrameEncoder()
        let decoder = try SPDYFrameDecoder()
        let frames: [SPDYFrame] = [
            .synStream(streamID: 1, headers: [SPDYHeader(name: "streamtype", value: "error"), SPDYHeader(name: "port", value: "8080"),
                                              SPDYHeader(name: "requestid", value: "0")], fin: false),
            .synStream(streamID: 3, headers: [SPDYHeader(name: "streamtype", value: "data"), SPDYHeader(name: "port", value: "8080"),
                                              SPDYHeader(name: "requestid", value: "0")], fin: false),
            .synReply(streamID: 1, headers: [], fin: false),
            .data(streamID: 3, payload: Array("GET / HTTP/1.0\r\n\r\n".utf8), fin: true),
            .rstStream(streamID: 3, status: SPDYFrame.Status.cancel),
            .settings([SPDYSetting(flags: 0, id: 7, value: 65536)]),
            .ping(id: 1),
            .windowUpdate(streamID: 3, delta: 1024),
            .goAway(lastGoodStreamID: 3, status: 0),
        ]
        let bytes = try frames.flatMap { try encoder.encode($0) }
        // Delivered a few bytes at a time, as a socket may.
        var decoded: [SPDYFrame] = []
        for start in stride(from: 0, to: bytes.count, by: 5) {
            decoded += try decoder.receive(bytes[start..<min(start + 5, bytes.count)])
        }
        #expect(decoded == frames)
    }

    @Test func controlFrameLayout() throws {
        let ping = try SPDYFrameEncoder().encode(.ping(id: 7))
        #expect(ping == [0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x07])
        let data = try SPDYFrameEncoder().encode(.data(streamID: 5, payload: [1, 2], fin: true))
        #expect(data == [0x00, 0x00, 0x00, 0x05, 0x01, 0x00, 0x00, 0x02, 1, 2])
        #expect(throws: SPDYFrameDecoder.ProtocolError.self) { try SPDYFrameDecoder().receive([0x80, 0x02, 0x00, 0x06, 0, 0, 0, 4, 0, 0, 0, 1]) }
    }

    @Test func portForwardStreamHeaders() {
        let headers = { (pairs: [(String, String)]) in pairs.map { SPDYHeader(name: $0.0, value: $0.1) } }
        let data = PortForwardStreamHeaders(streamID: 3, headers([("streamtype", "data"), ("port", "80"), ("requestid", "4")]))
        #expect(data?.isData == true && data?.port == 80 && data?.requestID == "4")
        let legacy = PortForwardStreamHeaders(streamID: 3, headers([("streamtype", "data"), ("port", "80")]))
        #expect(legacy?.requestID == "1")
        #expect(PortForwardStreamHeaders(streamID: 1, headers([("streamtype", "other"), ("port", "80")])) == nil)
        #expect(PortForwardStreamHeaders(streamID: 1, headers([("streamtype", "error"), ("port", "0")])) == nil)
    }
}
