/// Go's `time.Duration` string form (`1h2m3s`, `1.5s`, `500ms`), used by `metav1.Duration`,
/// upstream's duration flags, CEL and cron's `@every`.
public enum GoDuration {
    /// The nanoseconds each unit stands for.
    private static let units: [String: Int128] = [
        "ns": 1, "us": 1_000, "\u{00B5}s": 1_000, "\u{03BC}s": 1_000, "ms": 1_000_000,
        "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
    ]

    /// The nanoseconds `text` stands for, read as Go's `time.ParseDuration` reads it (a sign,
    /// then numbers with a fraction and a unit each: `-1h30m`, `.5s`, `1.5µs`; `0` alone needs no
    /// unit; fraction digits beyond a nanosecond are dropped). Nil for text Go refuses. The range
    /// is not Go's `int64`: callers bound it (`duration(_:)` does, CEL has its own).
    public static func nanoseconds(_ text: some StringProtocol) -> Int128? {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        var total: Int128 = 0
        while !rest.isEmpty {
            let whole = rest.prefix(while: \.isASCIIDigit)
            rest = rest.dropFirst(whole.count)
            var fraction: Substring = ""
            if rest.first == "." {
                rest = rest.dropFirst()
                fraction = rest.prefix(while: \.isASCIIDigit)
                rest = rest.dropFirst(fraction.count)
            }
            guard !whole.isEmpty || !fraction.isEmpty else { return nil }
            let unit = rest.prefix { !$0.isASCIIDigit && $0 != "." }
            rest = rest.dropFirst(unit.count)
            guard let scale = units[String(unit)], let value = Int128(whole.isEmpty ? "0" : whole) else { return nil }
            let (product, overflow) = value.multipliedReportingOverflow(by: scale)
            guard !overflow else { return nil }
            var nanoseconds = product
            if !fraction.isEmpty, let digits = Int128(fraction.prefix(18)) {
                var divisor: Int128 = 1
                for _ in 0..<min(fraction.count, 18) { divisor *= 10 }
                nanoseconds += digits * scale / divisor
            }
            let (sum, sumOverflow) = total.addingReportingOverflow(nanoseconds)
            guard !sumOverflow else { return nil }
            total = sum
        }
        return negative ? -total : total
    }

    /// `text` as a `Duration`, nil for text Go's `time.ParseDuration` refuses, including
    /// durations beyond its range (about 292 years).
    public static func duration(_ text: some StringProtocol) -> Duration? {
        guard let nanoseconds = nanoseconds(text), let bounded = Int64(exactly: nanoseconds) else { return nil }
        return .nanoseconds(bounded)
    }

    /// `nanoseconds` as Go prints a `time.Duration`.
    public static func format(nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        var text: String
        if magnitude < 1_000 {
            text = "\(magnitude)ns"
        } else if magnitude < 1_000_000 {
            text = fraction(magnitude, unit: 1_000) + "µs"
        } else if magnitude < 1_000_000_000 {
            text = fraction(magnitude, unit: 1_000_000) + "ms"
        } else {
            let hours = magnitude / 3_600_000_000_000
            let minutes = magnitude / 60_000_000_000 % 60
            let seconds = magnitude % 60_000_000_000
            text = ""
            if hours > 0 { text += "\(hours)h" }
            if hours > 0 || minutes > 0 { text += "\(minutes)m" }
            text += fraction(seconds, unit: 1_000_000_000) + "s"
        }
        return negative ? "-" + text : text
    }

    /// `value / unit` with the fraction's trailing zeros removed.
    private static func fraction(_ value: UInt64, unit: UInt64) -> String {
        let whole = value / unit
        var rest = value % unit
        guard rest > 0 else { return String(whole) }
        var digits = String(rest)
        digits = String(repeating: "0", count: String(unit).count - 1 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        rest = 0
        return "\(whole).\(digits)"
    }
}

extension Character {
    /// `0` to `9` only (`isNumber` also takes other scripts' digits and fractions).
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
