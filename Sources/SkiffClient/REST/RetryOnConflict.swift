import SkiffAPI

/// The back-off of `retryOnConflict` (client-go's `retry.DefaultRetry`: 5 attempts, 10 ms apart,
/// 10 % jitter).
public struct ConflictBackoff: Sendable, Hashable {
    /// Attempts in all, the first included.
    public var steps: Int
    /// The wait between attempts.
    public var delay: Duration
    /// The wait is stretched by up to this fraction, at random.
    public var jitter: Double

    public init(steps: Int = 5, delay: Duration = .milliseconds(10), jitter: Double = 0.1) {
        self.steps = steps
        self.delay = delay
        self.jitter = jitter
    }

    /// client-go's `retry.DefaultRetry`.
    public static let `default` = ConflictBackoff()
}

/// Runs `attempt` again while it fails with `409 Conflict`, as client-go's `retry.RetryOnConflict`:
/// each attempt should read the object afresh, change it and update it. The last conflict is thrown
/// once `backoff.steps` attempts failed; any other error at once.
public func retryOnConflict<Result>(
    _ backoff: ConflictBackoff = .default, clock: any TimestampClock = SystemClock(),
    _ attempt: () async throws -> Result
) async throws -> Result {
    var remaining = max(backoff.steps, 1)
    while true {
        do {
            return try await attempt()
        } catch let error as APIError where error.isConflict && remaining > 1 {
            remaining -= 1
            try await clock.sleep(for: backoff.delay * (1 + Double.random(in: 0...max(backoff.jitter, 0))))
        }
    }
}
