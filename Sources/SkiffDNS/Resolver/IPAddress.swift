#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text addresses to the bytes of A and AAAA records, and back for reverse names.
enum IPAddress {
    /// `10.0.0.1` → 4 bytes; nil if not a dotted quad.
    static func v4(_ text: String) -> [UInt8]? { parse(text, family: AF_INET, count: 4) }

    /// `fd00::1` → 16 bytes; nil if not an IPv6 address.
    static func v6(_ text: String) -> [UInt8]? { parse(text, family: AF_INET6, count: 16) }

    private static func parse(_ text: String, family: Int32, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        return inet_pton(family, text, &bytes) == 1 ? bytes : nil
    }

    /// The record data of an address: A or AAAA.
    static func record(_ text: String) -> DNSRecordData? {
        if let v4 = v4(text) { return .a(v4) }
        return v6(text).map { .aaaa($0) }
    }

    /// The address a reverse name stands for (`4.3.2.1.in-addr.arpa` → `1.2.3.4`, nibbles of
    /// `ip6.arpa`), as the bytes of the address; nil if the name is not a full reverse name.
    static func reversed(_ name: DNSName) -> [UInt8]? {
        if let labels = name.labels(under: DNSName(labels: ["in-addr", "arpa"])) {
            guard labels.count == 4 else { return nil }
            let bytes = labels.reversed().compactMap { $0.count <= 3 ? UInt8($0) : nil }
            return bytes.count == 4 ? bytes : nil
        }
        if let labels = name.labels(under: DNSName(labels: ["ip6", "arpa"])) {
            guard labels.count == 32 else { return nil }
            let nibbles = labels.reversed().compactMap { $0.count == 1 ? UInt8($0, radix: 16) : nil }
            guard nibbles.count == 32 else { return nil }
            return stride(from: 0, to: 32, by: 2).map { nibbles[$0] << 4 | nibbles[$0 + 1] }
        }
        return nil
    }

    /// The bytes of an address in text (either family).
    static func bytes(_ text: String) -> [UInt8]? { v4(text) ?? v6(text) }

    /// The label an endpoint without a hostname goes by: its address with `-` for `.` and `:`.
    static func dashed(_ text: String) -> String {
        String(text.map { $0 == "." || $0 == ":" ? "-" : $0 })
    }
}
