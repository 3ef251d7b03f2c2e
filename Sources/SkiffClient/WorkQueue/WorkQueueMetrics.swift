import Metrics
import Synchronization

/// The metrics client-go's work queues publish, through swift-metrics: depth, adds, how long
/// items wait (`workqueue_queue_duration_seconds`), how long they are processed
/// (`workqueue_work_duration_seconds`) and retries.
final class WorkQueueMetrics<Item: Hashable & Sendable>: Sendable {
    private let depth: Gauge
    private let adds: Counter
    private let queueDuration: Timer
    private let workDuration: Timer
    private let retries: Counter
    private let times = Mutex<(depth: Int, queued: [Item: ContinuousClock.Instant], started: [Item: ContinuousClock.Instant])>((0, [:], [:]))

    init(name: String) {
        let dimensions = [("name", name)]
        depth = Gauge(label: "workqueue_depth", dimensions: dimensions)
        adds = Counter(label: "workqueue_adds_total", dimensions: dimensions)
        queueDuration = Timer(label: "workqueue_queue_duration_seconds", dimensions: dimensions)
        workDuration = Timer(label: "workqueue_work_duration_seconds", dimensions: dimensions)
        retries = Counter(label: "workqueue_retries_total", dimensions: dimensions)
    }

    func added() { adds.increment() }

    func retried() { retries.increment() }

    func enqueued(_ item: Item) {
        let current = times.withLock { state -> Int in
            state.depth += 1
            if state.queued[item] == nil { state.queued[item] = .now }
            return state.depth
        }
        depth.record(current)
    }

    func started(_ item: Item) {
        let (current, waited) = times.withLock { state -> (Int, Duration?) in
            state.depth -= 1
            state.started[item] = .now
            return (state.depth, state.queued.removeValue(forKey: item).map { .now - $0 })
        }
        depth.record(current)
        if let waited { queueDuration.recordNanoseconds(waited.nanoseconds) }
    }

    func finished(_ item: Item) {
        if let began = times.withLock({ $0.started.removeValue(forKey: item) }) {
            workDuration.recordNanoseconds((ContinuousClock.now - began).nanoseconds)
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
