import SkiffAPI

/// Human-readable durations as kubectl prints them in the `AGE` column (`5s`, `3m2s`, `4h`, `2d3h`, `5y`).
public enum Age {
    /// The age of an object (from `metadata.creationTimestamp`), or `<unknown>`.
    public static func since(_ object: JSONValue, now: Timestamp) -> String {
        guard let created = object[path: "metadata", "creationTimestamp"]?.stringValue.flatMap(Timestamp.init(rfc3339:))
        else { return "<unknown>" }
        return format(seconds: now.seconds - created.seconds)
    }

    /// The age between a timestamp string and now, or `<unknown>`/`<invalid>`.
    public static func since(rfc3339 text: String?, now: Timestamp) -> String {
        guard let text, let time = Timestamp(rfc3339: text) else { return "<unknown>" }
        return format(seconds: now.seconds - time.seconds)
    }

    /// Formats a duration like upstream's `duration.HumanDuration`.
    public static func format(seconds: Int64) -> String {
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let s = seconds % 60
            return s == 0 ? "\(minutes)m" : "\(minutes)m\(s)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 {
            let m = minutes % 60
            return m == 0 ? "\(hours)h" : "\(hours)h\(m)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let h = hours % 24
            return h == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(h)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = (hours / 24) % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }
}
