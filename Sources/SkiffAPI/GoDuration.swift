/// Go's `time.Duration` string form (`1h2m3s`, `1.5s`, `500ms`), used by `metav1.Duration`.
public enum GoDuration {
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
