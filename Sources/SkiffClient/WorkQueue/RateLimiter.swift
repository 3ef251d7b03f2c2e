import SkiffAPI
import Synchronization

/// Decides how long an item waits before it is processed again (client-go's `RateLimiter`).
public protocol RateLimiter<Item>: Sendable {
    associatedtype Item: Hashable & Sendable
    /// The delay before `item` may be processed again; counts as one more retry.
    func when(_ item: Item) -> Duration
    /// Forgets the item's retries (after it was processed successfully).
    func forget(_ item: Item)
    /// How many times the item was retried since it was last forgotten.
    func retries(_ item: Item) -> Int
}

/// Per-item exponential back-off: `base * 2^retries`, at most `maximum`.
public final class ExponentialFailureRateLimiter<Item: Hashable & Sendable>: RateLimiter {
    private let base: Duration
    private let maximum: Duration
    private let failures = Mutex<[Item: Int]>([:])

    public init(base: Duration = .milliseconds(5), maximum: Duration = .seconds(1000)) {
        self.base = base
        self.maximum = maximum
    }

    public func when(_ item: Item) -> Duration {
        let exponent = failures.withLock { failures -> Int in
            defer { failures[item, default: 0] += 1 }
            return failures[item, default: 0]
        }
        guard exponent < 62 else { return maximum }
        let delay = base * Double(1 << exponent)
        return min(delay, maximum)
    }

    public func forget(_ item: Item) {
        _ = failures.withLock { $0.removeValue(forKey: item) }
    }

    public func retries(_ item: Item) -> Int {
        failures.withLock { $0[item, default: 0] }
    }
}

/// An overall token bucket: `qps` tokens per second, at most `burst` saved up; each `when`
/// reserves a token and returns how long until it is available (like `golang.org/x/time/rate`).
public final class TokenBucketRateLimiter<Item: Hashable & Sendable>: RateLimiter {
    private let qps: Double
    private let burst: Double
    private let clock: any TimestampClock
    private let bucket: Mutex<(tokens: Double, updated: Timestamp)>

    /// A bucket filling at `qps` tokens a second up to `burst`, timed on `clock`.
    public init(qps: Double = 10, burst: Int = 100, clock: any TimestampClock = SystemClock()) {
        self.qps = qps
        self.burst = Double(burst)
        self.clock = clock
        bucket = Mutex((Double(burst), clock.now))
    }

    public func when(_ item: Item) -> Duration {
        let now = clock.now
        return bucket.withLock { bucket in
            let elapsed = bucket.updated.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(burst, bucket.tokens + max(0, seconds) * qps)
            bucket.updated = now
            bucket.tokens -= 1
            return bucket.tokens >= 0 ? .zero : .seconds(-bucket.tokens / qps)
        }
    }

    public func forget(_ item: Item) {}

    public func retries(_ item: Item) -> Int { 0 }
}

/// The longest delay of several limiters (client-go's `MaxOfRateLimiter`).
public struct MaxOfRateLimiter<Item: Hashable & Sendable>: RateLimiter {
    private let limiters: [any RateLimiter<Item>]

    public init(_ limiters: [any RateLimiter<Item>]) {
        self.limiters = limiters
    }

    public func when(_ item: Item) -> Duration {
        limiters.map { $0.when(item) }.max() ?? .zero
    }

    public func forget(_ item: Item) {
        limiters.forEach { $0.forget(item) }
    }

    public func retries(_ item: Item) -> Int {
        limiters.map { $0.retries(item) }.max() ?? 0
    }

    /// client-go's default controller rate limiter: per-item exponential back-off from 5 ms to
    /// 1000 s, and an overall bucket of 10 qps with a burst of 100.
    public static func defaultController(clock: any TimestampClock = SystemClock()) -> MaxOfRateLimiter<Item> {
        MaxOfRateLimiter([ExponentialFailureRateLimiter<Item>(), TokenBucketRateLimiter<Item>(clock: clock)])
    }
}
