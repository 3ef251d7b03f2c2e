import SkiffAPI

/// Durations as CEL reads them (Go's `time.ParseDuration` syntax: `1h30m`, `-1.5s`, `300ms`,
/// `10us`) and writes them (seconds with a fraction: `5400s`, `1.5s`).
enum CELDurationFormat {
    /// The largest duration CEL allows: 10,000 years less a little, in nanoseconds.
    static let maxNanos: Int128 = 315_576_000_000 * 1_000_000_000 + 999_999_999

    /// The nanoseconds of a duration in Go's syntax, nil when Go refuses it or it is beyond CEL's range.
    static func parse(_ text: String) -> Int128? {
        guard let nanos = GoDuration.nanoseconds(text), nanos.magnitude <= maxNanos.magnitude else { return nil }
        return nanos
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
