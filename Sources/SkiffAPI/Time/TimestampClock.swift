/// A clock whose instants are API timestamps: the one time source a component reads "now" from
/// (for `creationTimestamp`, conditions, leases, back-offs) and sleeps on.
///
/// Components take `any TimestampClock` through their configuration, `SystemClock` by default;
/// tests pass `SkiffTesting.ManualClock` and move time by hand instead of sleeping.
public protocol TimestampClock: Clock, Sendable where Instant == Timestamp, Duration == Swift.Duration {}

/// The machine's wall clock.
public struct SystemClock: TimestampClock {
    public init() {}

    public var now: Timestamp { .now() }

    public var minimumResolution: Duration { .nanoseconds(1) }

    /// Sleeps until the wall clock reads `deadline` (measured as a span of the continuous clock,
    /// so a wall-clock step while asleep neither shortens nor stretches the wait).
    public func sleep(until deadline: Timestamp, tolerance: Duration?) async throws {
        let delay = deadline.duration(since: now)
        guard delay > .zero else { return try Task.checkCancellation() }
        try await Task.sleep(for: delay, tolerance: tolerance, clock: .continuous)
    }
}

extension TimestampClock {
    /// Sleeps for `duration` on this clock.
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now.advanced(by: duration), tolerance: nil)
    }
}
