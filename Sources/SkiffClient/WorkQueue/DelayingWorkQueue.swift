import SkiffAPI
import Synchronization

/// A work queue where items can also be added after a delay (`addAfter`), and retried with a
/// rate limiter (`addRateLimited`, `forget`, `retries`), as client-go's rate-limiting queue.
/// `run()` moves items whose delay has passed into the queue; run it for the queue's lifetime.
/// Delays are measured on the injected clock, so a test's `ManualClock` drives retries.
public final class DelayingWorkQueue<Item: Hashable & Sendable>: Sendable {
    /// The queue items are handed out from.
    public let queue: WorkQueue<Item>
    private let clock: any TimestampClock
    private let limiter: any RateLimiter<Item>
    private let waiting = Mutex<(items: [Item: Timestamp], signal: WakeSignal)>(([:], WakeSignal()))

    /// A queue named `name` (for its metrics) retrying with `rateLimiter` (by default client-go's
    /// default controller rate limiter) on `clock`.
    public init(
        name: String = "", rateLimiter: any RateLimiter<Item> = MaxOfRateLimiter<Item>.defaultController(),
        clock: any TimestampClock = SystemClock()
    ) {
        queue = WorkQueue(name: name)
        self.clock = clock
        limiter = rateLimiter
    }

    /// Adds `item` once `delay` has passed (at once when it is not positive). An item already
    /// waiting keeps the earlier of its two times.
    public func addAfter(_ item: Item, delay: Duration) {
        guard !queue.isShuttingDown else { return }
        guard delay > .zero else {
            queue.add(item)
            return
        }
        let readyAt = clock.now.advanced(by: delay)
        let signal = waiting.withLock { state -> WakeSignal in
            if let existing = state.items[item], existing <= readyAt { return state.signal }
            state.items[item] = readyAt
            return state.signal
        }
        signal.fire()
    }

    /// Adds `item` after the delay the rate limiter gives it.
    public func addRateLimited(_ item: Item) {
        queue.metrics.retried()
        addAfter(item, delay: limiter.when(item))
    }

    /// Clears the item's retry history.
    public func forget(_ item: Item) {
        limiter.forget(item)
    }

    /// How many times the item has been retried.
    public func retries(_ item: Item) -> Int {
        limiter.retries(item)
    }

    public func add(_ item: Item) { queue.add(item) }
    public func get() async -> Item? { await queue.get() }
    public func done(_ item: Item) { queue.done(item) }

    /// Shuts the queue down; `run()` returns.
    public func shutDown() {
        queue.shutDown()
        waiting.withLock { $0.signal }.fire()
    }

    /// Moves items into the queue when their time comes, until shut down or cancelled.
    public func run() async {
        while !queue.isShuttingDown, !Task.isCancelled {
            let now = clock.now
            let (ready, next, signal) = waiting.withLock { state -> ([Item], Timestamp?, WakeSignal) in
                let ready = state.items.filter { $0.value <= now }.map(\.key)
                for item in ready { state.items[item] = nil }
                state.signal = WakeSignal()
                return (ready, state.items.values.min(), state.signal)
            }
            ready.forEach(queue.add)
            if !ready.isEmpty { continue }
            await withTaskGroup(of: Void.self) { group in
                if let next {
                    group.addTask { [clock] in try? await clock.sleep(until: next, tolerance: nil) }
                }
                group.addTask { await signal.wait() }
                await group.next()
                group.cancelAll()
            }
        }
    }
}
