/// The `Retry-After` of a priority level's `429`s (upstream's `droppedRequestsTracker`): it starts
/// at 1 s, doubles (up to 32 s) when the level rejected at least three times that many requests
/// in the last `Retry-After` seconds, and shrinks by a second when it rejected fewer than that
/// many, as TCP's congestion window, so clients back off while a level stays overloaded.
/// Rejections are counted per second of the server's clock.
struct DroppedRequestsTracker: Sendable {
    static let maxRetryAfter: Int64 = 32

    /// One level's record.
    private struct Level {
        var retryAfter: Int64 = 1
        var retryAfterUpdated: Int64 = 0
        var currentSecond: Int64 = 0
        var currentCount: Int64 = 0
        /// Rejections in earlier seconds, oldest first.
        var history: [(second: Int64, count: Int64)] = []

        mutating func record(at second: Int64) {
            if second == currentSecond {
                currentCount += 1
                return
            }
            history.append((currentSecond, currentCount))
            let kept = min(2 * retryAfter, DroppedRequestsTracker.maxRetryAfter)
            history.removeAll { second - $0.second > kept }
            currentSecond = second
            currentCount = 1
            // Decided when a new second starts, from the seconds before it.
            let dropped = history.filter { second - $0.second <= retryAfter && $0.second < second }.reduce(0) { $0 + $1.count }
            if second - retryAfterUpdated >= retryAfter && dropped >= 3 * retryAfter {
                retryAfter = min(2 * retryAfter, DroppedRequestsTracker.maxRetryAfter)
                retryAfterUpdated = second
            } else if dropped < retryAfter && retryAfter > 1 {
                retryAfter -= 1
            }
        }
    }

    private var levels: [String: Level] = [:]

    /// Notes a rejection by `level` at `second` (Unix time) and returns the `Retry-After` to send.
    mutating func recordRejection(by level: String, at second: Int64) -> Int64 {
        levels[level, default: Level()].record(at: second)
        return levels[level]?.retryAfter ?? 1
    }
}
