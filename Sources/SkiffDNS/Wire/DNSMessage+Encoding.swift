extension DNSMessage {
    /// The wire form (RFC 1035 §4.1) with names compressed (§4.1.4), at most `limit` bytes: records
    /// that do not fit are left out, from the first one that does not fit on; when an answer or
    /// authority record is left out the TC bit is set (RFC 2181 §9), so the client asks again
    /// over TCP. The OPT record, if any, always fits (its room is kept).
    public func encoded(limit: Int = 65535) -> [UInt8] {
        var writer = DNSMessageWriter()
        writer.u16(id)
        writer.u16(0)  // flags, written last (TC may change)
        writer.u16(UInt16(questions.count))
        writer.u16(0)
        writer.u16(0)
        writer.u16(0)
        for question in questions {
            writer.name(question.name)
            writer.u16(question.type.rawValue)
            writer.u16(question.recordClass)
        }
        let optSize = edns == nil ? 0 : 11
        let room = max(limit - optSize, writer.bytes.count)
        var truncated = isTruncated
        var counts: [Int] = []
        var full = false
        for (index, section) in [answers, authorities, additionals].enumerated() {
            var written = 0
            for record in section where !full {
                let mark = writer.bytes.count
                writer.record(record)
                guard writer.bytes.count <= room else {
                    writer.rollBack(to: mark)
                    full = true
                    if index < 2 { truncated = true }
                    break
                }
                written += 1
            }
            counts.append(written)
        }
        if let edns {
            writer.bytes.append(0)
            writer.u16(DNSRecordType.opt.rawValue)
            writer.u16(edns.udpPayloadSize)
            writer.u32(UInt32(edns.version) << 16 | (edns.dnssecOK ? 0x8000 : 0))
            writer.u16(0)
            counts[2] += 1
        }
        var flags = UInt16(responseCode.rawValue) | UInt16(opcode & 0x0f) << 11
        if isResponse { flags |= 0x8000 }
        if isAuthoritative { flags |= 0x0400 }
        if truncated { flags |= 0x0200 }
        if recursionDesired { flags |= 0x0100 }
        if recursionAvailable { flags |= 0x0080 }
        writer.set(flags, at: 2)
        for (index, count) in counts.enumerated() { writer.set(UInt16(count), at: 6 + 2 * index) }
        return writer.bytes
    }
}

/// Appends a message's fields, remembering where each name suffix was written for compression.
struct DNSMessageWriter {
    var bytes: [UInt8] = []
    /// Lowercased name suffix → its offset (pointers reach the first 16 KiB only).
    private var suffixes: [String: Int] = [:]

    init() {
        bytes.reserveCapacity(512)
    }

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xff))
    }

    mutating func u32(_ value: UInt32) {
        u16(UInt16(value >> 16))
        u16(UInt16(value & 0xffff))
    }

    mutating func set(_ value: UInt16, at offset: Int) {
        bytes[offset] = UInt8(value >> 8)
        bytes[offset + 1] = UInt8(value & 0xff)
    }

    /// Drops what was written from `mark` on, and the compression targets in it.
    mutating func rollBack(to mark: Int) {
        bytes.removeSubrange(mark...)
        suffixes = suffixes.filter { $0.value < mark }
    }

    /// A name, as a pointer to an earlier copy of its longest written suffix unless `compress`
    /// is false (SRV targets, RFC 2782); either way its suffixes become targets for later names.
    mutating func name(_ name: DNSName, compress: Bool = true) {
        let labels = name.labels
        for index in labels.indices {
            let suffix = labels[index...].joined(separator: ".").lowercased()
            if compress, let offset = suffixes[suffix] {
                u16(0xc000 | UInt16(offset))
                return
            }
            if bytes.count < 0x4000, suffixes[suffix] == nil { suffixes[suffix] = bytes.count }
            let label = Array(labels[index].utf8.prefix(DNSName.maxLabelLength))
            bytes.append(UInt8(label.count))
            bytes.append(contentsOf: label)
        }
        bytes.append(0)
    }

    mutating func record(_ record: DNSRecord) {
        name(record.name)
        u16(record.type.rawValue)
        u16(record.recordClass)
        u32(record.ttl)
        let lengthOffset = bytes.count
        u16(0)
        switch record.data {
        case .a(let address), .aaaa(let address): bytes.append(contentsOf: address)
        case .cname(let target), .ptr(let target), .ns(let target): name(target)
        case .srv(let priority, let weight, let port, let target):
            u16(priority)
            u16(weight)
            u16(port)
            name(target, compress: false)
        case .soa(let soa):
            name(soa.primary)
            name(soa.mailbox)
            for value in [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum] { u32(value) }
        case .txt(let strings):
            for string in strings {
                let text = Array(string.utf8.prefix(255))
                bytes.append(UInt8(text.count))
                bytes.append(contentsOf: text)
            }
        case .other(_, let data): bytes.append(contentsOf: data)
        }
        set(UInt16(bytes.count - lengthOffset - 2), at: lengthOffset)
    }
}
