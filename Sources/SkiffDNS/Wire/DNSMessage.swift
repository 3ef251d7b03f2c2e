/// A DNS message (RFC 1035 §4.1): header fields, the four sections, and the EDNS(0) OPT pseudo
/// record (RFC 6891) kept apart from the additional records.
public struct DNSMessage: Sendable, Hashable {
    public var id: UInt16
    /// Whether this is a response (QR).
    public var isResponse = false
    public var opcode: UInt8 = 0
    /// Authoritative answer (AA).
    public var isAuthoritative = false
    /// Truncated (TC): the answer did not fit; ask again over TCP.
    public var isTruncated = false
    /// Recursion desired (RD) and available (RA).
    public var recursionDesired = false
    public var recursionAvailable = false
    public var responseCode = DNSResponseCode.noError
    public var questions: [DNSQuestion] = []
    public var answers: [DNSRecord] = []
    public var authorities: [DNSRecord] = []
    public var additionals: [DNSRecord] = []
    /// The EDNS(0) options, if the message carried an OPT record.
    public var edns: EDNS?

    /// EDNS(0): what the OPT record says (RFC 6891 §6.1.2).
    public struct EDNS: Sendable, Hashable {
        /// The largest UDP payload the sender can take.
        public var udpPayloadSize: UInt16
        public var version: UInt8 = 0
        /// DNSSEC OK.
        public var dnssecOK = false

        public init(udpPayloadSize: UInt16) {
            self.udpPayloadSize = udpPayloadSize
        }
    }

    /// The classic UDP limit without EDNS (RFC 1035 §4.2.1).
    public static let classicUDPSize = 512

    public init(id: UInt16) {
        self.id = id
    }

    /// The response skeleton to this query: same id, opcode, RD and question, QR set.
    public func response(code: DNSResponseCode = .noError) -> DNSMessage {
        var response = DNSMessage(id: id)
        response.isResponse = true
        response.opcode = opcode
        response.recursionDesired = recursionDesired
        response.responseCode = code
        response.questions = questions
        return response
    }

    /// The most a UDP response to this query may take: the EDNS size it offers (at least 512),
    /// else 512.
    public var udpResponseLimit: Int {
        max(Self.classicUDPSize, Int(edns?.udpPayloadSize ?? 0))
    }
}
