extension DNSMessage {
    /// Reads a message from its wire form (RFC 1035 §4.1), following compression pointers
    /// (backwards only, so a loop cannot form).
    public init(decoding bytes: some Collection<UInt8>) throws(DNSWireError) {
        var reader = DNSMessageReader(bytes: Array(bytes))
        try self.init(reader: &reader)
    }

    /// The 16-bit id of a message's wire form, if it has a header (to answer FORMERR to it).
    public static func id(of bytes: [UInt8]) -> UInt16? {
        bytes.count >= 2 ? UInt16(bytes[0]) << 8 | UInt16(bytes[1]) : nil
    }

    private init(reader: inout DNSMessageReader) throws(DNSWireError) {
        self.init(id: try reader.u16())
        let flags = try reader.u16()
        isResponse = flags & 0x8000 != 0
        opcode = UInt8(flags >> 11 & 0x0f)
        isAuthoritative = flags & 0x0400 != 0
        isTruncated = flags & 0x0200 != 0
        recursionDesired = flags & 0x0100 != 0
        recursionAvailable = flags & 0x0080 != 0
        responseCode = DNSResponseCode(rawValue: UInt8(flags & 0x0f))
        let counts = (try reader.u16(), try reader.u16(), try reader.u16(), try reader.u16())
        for _ in 0..<counts.0 {
            questions.append(DNSQuestion(name: try reader.name(), type: DNSRecordType(rawValue: try reader.u16()), recordClass: try reader.u16()))
        }
        for _ in 0..<counts.1 { answers.append(try reader.record()) }
        for _ in 0..<counts.2 { authorities.append(try reader.record()) }
        for _ in 0..<counts.3 {
            let start = reader.offset
            let name = try reader.name()
            let type = DNSRecordType(rawValue: try reader.u16())
            guard type == .opt else {
                reader.offset = start
                additionals.append(try reader.record())
                continue
            }
            guard name == .root, edns == nil else { throw DNSWireError("misplaced OPT record", at: start) }
            var options = EDNS(udpPayloadSize: try reader.u16())
            let ttl = try reader.u32()
            options.version = UInt8(ttl >> 16 & 0xff)
            options.dnssecOK = ttl & 0x8000 != 0
            try reader.skip(Int(try reader.u16()))
            edns = options
        }
    }
}

/// A cursor over a message's bytes.
struct DNSMessageReader {
    let bytes: [UInt8]
    var offset = 0

    /// Compression pointers followed at most per name (each must point backwards anyway).
    static let maxPointers = 64

    mutating func u8() throws(DNSWireError) -> UInt8 {
        guard offset < bytes.count else { throw DNSWireError("message ends early", at: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() throws(DNSWireError) -> UInt16 {
        UInt16(try u8()) << 8 | UInt16(try u8())
    }

    mutating func u32() throws(DNSWireError) -> UInt32 {
        UInt32(try u16()) << 16 | UInt32(try u16())
    }

    mutating func take(_ count: Int) throws(DNSWireError) -> [UInt8] {
        guard count >= 0, offset + count <= bytes.count else { throw DNSWireError("message ends early", at: offset) }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func skip(_ count: Int) throws(DNSWireError) {
        _ = try take(count)
    }

    /// A possibly compressed name; the cursor ends after the name's first pointer or its root.
    mutating func name() throws(DNSWireError) -> DNSName {
        var labels: [String] = []
        var position = offset
        var resume: Int?
        var pointers = 0
        var length = 1
        while true {
            guard position < bytes.count else { throw DNSWireError("name runs past the end", at: position) }
            let byte = bytes[position]
            switch byte & 0xc0 {
            case 0xc0:
                guard position + 1 < bytes.count else { throw DNSWireError("name runs past the end", at: position) }
                let target = Int(byte & 0x3f) << 8 | Int(bytes[position + 1])
                pointers += 1
                guard target < position, pointers <= Self.maxPointers else { throw DNSWireError("bad compression pointer", at: position) }
                if resume == nil { resume = position + 2 }
                position = target
            case 0x00:
                let count = Int(byte)
                if count == 0 {
                    offset = resume ?? position + 1
                    return DNSName(labels: labels)
                }
                guard position + 1 + count <= bytes.count else { throw DNSWireError("label runs past the end", at: position) }
                length += 1 + count
                guard length <= DNSName.maxLength else { throw DNSWireError("name longer than 255 bytes", at: position) }
                labels.append(String(decoding: bytes[position + 1..<position + 1 + count], as: UTF8.self))
                position += 1 + count
            default:
                throw DNSWireError("unsupported label type", at: position)
            }
        }
    }

    mutating func record() throws(DNSWireError) -> DNSRecord {
        let name = try name()
        let type = DNSRecordType(rawValue: try u16())
        let recordClass = try u16()
        let ttl = try u32()
        let length = Int(try u16())
        let end = offset + length
        guard end <= bytes.count else { throw DNSWireError("record data runs past the end", at: offset) }
        let data: DNSRecordData
        switch type {
        case .a where length == 4: data = .a(try take(4))
        case .aaaa where length == 16: data = .aaaa(try take(16))
        case .cname: data = .cname(try self.name())
        case .ptr: data = .ptr(try self.name())
        case .ns: data = .ns(try self.name())
        case .srv: data = .srv(priority: try u16(), weight: try u16(), port: try u16(), target: try self.name())
        case .soa:
            data = .soa(.init(primary: try self.name(), mailbox: try self.name(), serial: try u32(), refresh: try u32(),
                              retry: try u32(), expire: try u32(), minimum: try u32()))
        case .txt:
            var strings: [String] = []
            while offset < end { strings.append(String(decoding: try take(Int(try u8())), as: UTF8.self)) }
            data = .txt(strings)
        default: data = .other(type, try take(length))
        }
        guard offset == end else { throw DNSWireError("record data length does not match its contents", at: offset) }
        return DNSRecord(name: name, ttl: ttl, data: data, recordClass: recordClass)
    }
}
