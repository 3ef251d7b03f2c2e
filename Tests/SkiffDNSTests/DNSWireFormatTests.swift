import Testing

@testable import SkiffDNS

/// The RFC 1035 message format: reading, writing, name compression, truncation over UDP.
struct DNSWireFormatTests {
    static func name(_ text: String) -> DNSName { DNSName(text)! }

    static func query(_ name: String, _ type: DNSRecordType, id: UInt16 = 0x1234) -> DNSMessage {
        var query = DNSMessage(id: id)
        query.recursionDesired = true
        query.questions = [DNSQuestion(name: Self.name(name), type: type)]
        return query
    }

    @Test func aQueryReadsAsDigWritesIt() throws {
        // dig +noedns web.demo.svc.cluster.local A, id 0xbeef, RD set.
        let bytes: [UInt8] = [0xbe, 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
            + [3] + Array("web".utf8) + [4] + Array("demo".utf8) + [3] + Array("svc".utf8) + [7] + Array("cluster".utf8)
            + [5] + Array("local".utf8) + [0, 0, 1, 0, 1]
        let message = try DNSMessage(decoding: bytes)
        #expect(message.id == 0xbeef)
        #expect(message.recursionDesired && !message.isResponse)
        #expect(message.questions == [DNSQuestion(name: Self.name("web.demo.svc.cluster.local"), type: .a)])
        #expect(message.encoded() == bytes)
    }

    @Test func everyRecordTypeSurvivesARoundTrip() throws {
        var message = Self.query("web.demo.svc.cluster.local", .any).response()
        let owner = Self.name("web.demo.svc.cluster.local")
        message.isAuthoritative = true
        message.answers = [
            DNSRecord(name: owner, ttl: 30, data: .a([10, 96, 0, 12])),
            DNSRecord(name: owner, ttl: 30, data: .aaaa([0xfd, 0] + Array(repeating: 0, count: 13) + [1])),
            DNSRecord(name: owner, ttl: 30, data: .cname(Self.name("example.com"))),
            DNSRecord(name: owner, ttl: 30, data: .srv(priority: 0, weight: 100, port: 80, target: owner)),
            DNSRecord(name: Self.name("12.0.96.10.in-addr.arpa"), ttl: 30, data: .ptr(owner)),
            DNSRecord(name: owner, ttl: 30, data: .txt(["1.0.1", "more"])),
        ]
        message.authorities = [
            DNSRecord(name: Self.name("cluster.local"), ttl: 30, data: .soa(.init(
                primary: Self.name("ns.dns.cluster.local"), mailbox: Self.name("hostmaster.cluster.local"),
                serial: 7, refresh: 7200, retry: 1800, expire: 86400, minimum: 30)))
        ]
        message.additionals = [DNSRecord(name: owner, ttl: 5, data: .other(DNSRecordType(rawValue: 99), [1, 2, 3]))]
        message.edns = DNSMessage.EDNS(udpPayloadSize: 1232)
        #expect(try DNSMessage(decoding: message.encoded()) == message)
    }

    @Test func repeatedNamesAreCompressedToPointers() throws {
        var message = Self.query("web.demo.svc.cluster.local", .a).response()
        let owner = Self.name("WEB.demo.svc.cluster.local")
        message.answers = [DNSRecord(name: owner, ttl: 30, data: .a([1, 2, 3, 4])), DNSRecord(name: owner, ttl: 30, data: .a([1, 2, 3, 5]))]
        let bytes = message.encoded()
        // Header 12 + question (28-byte name + 4); each answer: a 2-byte pointer to offset 12 + 14.
        #expect(bytes.count == 12 + 32 + 2 * 16)
        #expect(Array(bytes[44..<46]) == [0xc0, 12])
        #expect(Array(bytes[60..<62]) == [0xc0, 12])
        // A name sharing only a suffix points into the question's name.
        message.answers = [DNSRecord(name: Self.name("other.demo.svc.cluster.local"), ttl: 30, data: .a([1, 2, 3, 4]))]
        let suffix = message.encoded()
        #expect(Array(suffix[44..<52]) == [5] + Array("other".utf8) + [0xc0, 16])
        #expect(try DNSMessage(decoding: suffix).answers[0].name == Self.name("other.demo.svc.cluster.local"))
    }

    @Test func srvTargetsAreWrittenUncompressed() {
        var message = Self.query("_http._tcp.web.demo.svc.cluster.local", .srv).response()
        let target = Self.name("web.demo.svc.cluster.local")
        message.answers = [DNSRecord(name: message.questions[0].name, ttl: 30, data: .srv(priority: 0, weight: 100, port: 80, target: target))]
        let bytes = message.encoded()
        #expect(bytes.suffix(target.wireLength) == ArraySlice(Array("\u{3}web\u{4}demo\u{3}svc\u{7}cluster\u{5}local\u{0}".utf8)))
    }

    @Test func aResponseTooLargeForUDPIsTruncatedWithTheTCBit() throws {
        var message = Self.query("big.demo.svc.cluster.local", .a).response()
        message.answers = (0..<100).map { DNSRecord(name: message.questions[0].name, ttl: 30, data: .a([10, 0, 0, UInt8($0)])) }
        let bytes = message.encoded(limit: DNSMessage.classicUDPSize)
        #expect(bytes.count <= 512)
        let decoded = try DNSMessage(decoding: bytes)
        #expect(decoded.isTruncated)
        #expect(decoded.answers.count == (512 - 12 - 32) / 16)
        #expect(decoded.answers == Array(message.answers.prefix(decoded.answers.count)))
        let whole = try DNSMessage(decoding: message.encoded())
        #expect(!whole.isTruncated && whole.answers.count == 100)
    }

    @Test func droppedAdditionalRecordsDoNotSetTC() throws {
        var message = Self.query("x.demo.svc.cluster.local", .srv).response()
        message.answers = [DNSRecord(name: message.questions[0].name, ttl: 30, data: .a([1, 1, 1, 1]))]
        message.additionals = (0..<100).map { DNSRecord(name: Self.name("h\($0).demo.svc.cluster.local"), ttl: 30, data: .a([10, 0, 0, UInt8($0)])) }
        message.edns = DNSMessage.EDNS(udpPayloadSize: 512)
        let decoded = try DNSMessage(decoding: message.encoded(limit: 512))
        #expect(!decoded.isTruncated)
        #expect(decoded.answers.count == 1)
        #expect(decoded.additionals.count < 100 && !decoded.additionals.isEmpty)
        #expect(decoded.edns?.udpPayloadSize == 512)
    }

    @Test func theEDNSSizeRaisesTheUDPLimit() {
        var query = Self.query("a.b", .a)
        #expect(query.udpResponseLimit == 512)
        query.edns = DNSMessage.EDNS(udpPayloadSize: 1232)
        #expect(query.udpResponseLimit == 1232)
        query.edns = DNSMessage.EDNS(udpPayloadSize: 100)
        #expect(query.udpResponseLimit == 512)
    }

    @Test func malformedMessagesAreRejected() {
        let header: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        // A pointer to itself (a loop), and one pointing forwards.
        #expect(throws: DNSWireError.self) { try DNSMessage(decoding: header + [0xc0, 12, 0, 1, 0, 1]) }
        #expect(throws: DNSWireError.self) { try DNSMessage(decoding: header + [0xc0, 40, 0, 1, 0, 1]) }
        // Cut short, a label running past the end, a reserved label type.
        #expect(throws: DNSWireError.self) { try DNSMessage(decoding: Array(header.prefix(7))) }
        #expect(throws: DNSWireError.self) { try DNSMessage(decoding: header + [9, 65, 0]) }
        #expect(throws: DNSWireError.self) { try DNSMessage(decoding: header + [0x80, 0, 0, 1, 0, 1]) }
    }

    @Test func namesCompareWithoutCaseAndRespectTheLimits() {
        #expect(Self.name("Web.Demo.") == Self.name("web.demo"))
        #expect(Self.name("web.demo.svc.cluster.local").labels(under: Self.name("Cluster.Local")) == ["web", "demo", "svc"])
        #expect(Self.name("web.demo").labels(under: Self.name("cluster.local")) == nil)
        #expect(DNSName(String(repeating: "a", count: 64) + ".b") == nil)
        #expect(DNSName(Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: ".")) == nil)
        #expect(DNSName("a..b") == nil)
        #expect(DNSName(".") == .root)
        #expect(Self.name("web.demo").description == "web.demo.")
    }
}
