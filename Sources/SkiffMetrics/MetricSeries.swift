import CoreMetrics
import Synchronization

/// One counter series: a monotonically increasing total.
final class CounterSeries: CounterHandler, FloatingPointCounterHandler {
    private let total = Mutex<Double>(0)

    func increment(by amount: Int64) { total.withLock { $0 += Double(amount) } }
    func increment(by amount: Double) { total.withLock { $0 += amount } }
    func reset() { total.withLock { $0 = 0 } }
    var value: Double { total.withLock { $0 } }
}

/// One gauge series: a value that goes up and down (swift-metrics' `Gauge` and `Meter`).
final class GaugeSeries: RecorderHandler, MeterHandler {
    private let current = Mutex<Double>(0)

    func record(_ value: Int64) { set(Double(value)) }
    func record(_ value: Double) { set(value) }
    func set(_ value: Int64) { set(Double(value)) }
    func set(_ value: Double) { current.withLock { $0 = value } }
    func increment(by amount: Double) { current.withLock { $0 += amount } }
    func decrement(by amount: Double) { current.withLock { $0 -= amount } }
    var value: Double { current.withLock { $0 } }
}

/// One histogram series: observations counted into cumulative buckets, with their sum and count.
/// Timers record nanoseconds and are exposed in seconds, as Kubernetes' `_seconds` histograms.
final class HistogramSeries: RecorderHandler, TimerHandler {
    /// What a scrape reads of a histogram.
    struct Snapshot: Sendable {
        /// The upper bounds and how many observations fell at or below each.
        var buckets: [(bound: Double, count: UInt64)]
        var sum: Double
        var count: UInt64
    }

    private let bounds: [Double]
    /// Each observation counted once, in the first bucket that holds it (the last slot is `+Inf`).
    private let state = Mutex<(counts: [UInt64], sum: Double, count: UInt64)>(([], 0, 0))

    init(bounds: [Double]) {
        self.bounds = bounds
        state.withLock { $0.counts = Array(repeating: 0, count: bounds.count + 1) }
    }

    func record(_ value: Int64) { observe(Double(value)) }
    func record(_ value: Double) { observe(value) }
    func recordNanoseconds(_ duration: Int64) { observe(Double(duration) / 1e9) }

    func observe(_ value: Double) {
        let slot = bounds.firstIndex { value <= $0 } ?? bounds.count
        state.withLock { state in
            state.counts[slot] += 1
            state.sum += value
            state.count += 1
        }
    }

    var snapshot: Snapshot {
        let (counts, sum, count) = state.withLock { ($0.counts, $0.sum, $0.count) }
        var cumulative: UInt64 = 0
        let buckets = zip(bounds, counts).map { bound, slotCount in
            cumulative += slotCount
            return (bound, cumulative)
        }
        return Snapshot(buckets: buckets, sum: sum, count: count)
    }
}
