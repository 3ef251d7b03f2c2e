import SkiffAPI

/// The `Date` header value (RFC 7231 IMF-fixdate) for the current time.
enum HTTPDate {
    private static let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func now() -> String {
        let now = Timestamp.now()
        let iso = now.rfc3339  // 2006-01-02T15:04:05Z
        let parts = Array(iso.utf8)
        func field(_ range: Range<Int>) -> String { String(decoding: parts[range], as: UTF8.self) }
        let weekday = days[Int(((now.seconds / 86_400) % 7 + 7) % 7)]
        let month = months[(Int(field(5..<7)) ?? 1) - 1]
        return "\(weekday), \(field(8..<10)) \(month) \(field(0..<4)) \(field(11..<19)) GMT"
    }
}
