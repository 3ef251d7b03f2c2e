/// Dotted-quad IPv4 addresses as 32-bit numbers, for the service IP allocator.
enum IPv4 {
    /// The address `a.b.c.d` as a number, or nil when `text` is not one.
    static func parse(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }), let octet = UInt32(part), octet < 256 else {
                return nil
            }
            value = value << 8 | octet
        }
        return value
    }

    static func format(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }

    /// Whether `text` is an IP address: IPv4, or IPv6 (hexadecimal groups and colons, possibly
    /// ending in an IPv4 address), as upstream's `IsValidIP` accepts.
    static func isIPAddress(_ text: String) -> Bool {
        if parse(text) != nil { return true }
        guard text.contains(":") else { return false }
        var groups = text.split(separator: ":", omittingEmptySubsequences: false)
        var expected = 8
        if let last = groups.last, last.contains(".") {
            guard parse(String(last)) != nil else { return false }
            groups.removeLast()
            expected = 6
        }
        let bytes = Array(text.utf8)
        let elisions = zip(bytes, bytes.dropFirst()).filter { $0 == 58 && $1 == 58 }.count
        let filled = groups.filter { !$0.isEmpty }
        guard filled.allSatisfy({ $0.count <= 4 && $0.allSatisfy(\.isHexDigit) }) else { return false }
        switch elisions {
        case 0: return groups.count == expected && filled.count == expected
        case 1: return filled.count < expected
        default: return false
        }
    }
}
