import SkiffAPI

/// Durations as CEL reads them (Go's `time.ParseDuration` syntax: `1h30m`, `-1.5s`, `300ms`,
/// `10us`) and writes them (seconds with a fraction: `5400s`, `1.5s`).
enum CELDurationFormat {
    /// The largest duration CEL allows: 10,000 years less a little, in nanoseconds.
    static let maxNanos: Int128 = 315_576_000_000 * 1_000_000_000 + 999_999_999

    static func parse(_ text: String) -> Int128? {
        var rest = Substring(text)
        var negative = false
        if rest.first == "-" || rest.first == "+" {
            negative = rest.first == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        let units: [(String, Int128)] = [
            ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
            ("m", 60_000_000_000), ("h", 3_600_000_000_000),
        ]
        var total: Int128 = 0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != "." else { return nil }
            rest = rest.dropFirst(number.count)
            guard let (unit, scale) = units.sorted(by: { $0.0.count > $1.0.count }).first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.count)
            let parts = number.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2, let whole = Int128(parts[0].isEmpty ? "0" : String(parts[0])) else { return nil }
            total += whole * scale
            if parts.count == 2, !parts[1].isEmpty {
                guard let fraction = Int128(String(parts[1].prefix(18))) else { return nil }
                var divisor: Int128 = 1
                for _ in 0..<min(parts[1].count, 18) { divisor *= 10 }
                total += fraction * scale / divisor
            }
            guard total <= maxNanos else { return nil }
        }
        return negative ? -total : total
    }

    static func format(_ nanos: Int128) -> String {
        let sign = nanos < 0 ? "-" : ""
        let magnitude = nanos < 0 ? -nanos : nanos
        let seconds = magnitude / 1_000_000_000
        let fraction = magnitude % 1_000_000_000
        guard fraction != 0 else { return "\(sign)\(seconds)s" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 9 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(sign)\(seconds).\(digits)s"
    }
}

/// Timestamps as CEL writes them: RFC 3339 in UTC, the fraction without trailing zeros.
enum CELTimestampFormat {
    static func format(_ instant: Timestamp) -> String {
        var text = instant.rfc3339
        guard instant.nanoseconds != 0 else { return text }
        var digits = String(instant.nanoseconds)
        digits = String(repeating: "0", count: 9 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        text.removeLast()
        return text + "." + digits + "Z"
    }

    /// The range CEL allows: years 1 through 9999.
    static let minSeconds: Int64 = -62_135_596_800
    static let maxSeconds: Int64 = 253_402_300_799

    static func isInRange(_ instant: Timestamp) -> Bool { (minSeconds...maxSeconds).contains(instant.seconds) }
}

/// Standard base64 (the encoding of `format: byte` strings).
enum CELBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                output.append(position <= chunk.count ? alphabet[Int(value >> (18 - 6 * UInt32(position)) & 63)] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        for byte in text.utf8 where byte != UInt8(ascii: "=") {
            guard let position = alphabet.firstIndex(of: byte) else { return nil }
            values.append(UInt8(position))
        }
        var output: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            guard chunk.count > 1 else { return nil }
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (18 - 6 * UInt32($1.offset)) }
            for position in 0..<(chunk.count - 1) { output.append(UInt8(value >> (16 - 8 * UInt32(position)) & 255)) }
            index += 4
        }
        return output
    }
}
