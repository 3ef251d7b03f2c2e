import SkiffAPI

extension Timestamp {
    /// This time plus `delta` milliseconds.
    func adding(milliseconds delta: Int64) -> Timestamp {
        let total = Int64(nanoseconds) + (delta % 1000) * 1_000_000
        let carry = total >= 1_000_000_000 ? 1 : (total < 0 ? -1 : 0)
        return Timestamp(seconds: seconds + delta / 1000 + Int64(carry), nanoseconds: Int32(total - Int64(carry) * 1_000_000_000))
    }

    /// The time from `earlier` to this one.
    func duration(since earlier: Timestamp) -> Duration {
        .seconds(seconds - earlier.seconds) + .nanoseconds(Int64(nanoseconds) - Int64(earlier.nanoseconds))
    }
}
