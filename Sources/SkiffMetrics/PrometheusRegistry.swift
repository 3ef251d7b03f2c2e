import CoreMetrics
import Synchronization

/// A swift-metrics backend that keeps every metric of the process and renders them in
/// Prometheus' text exposition format (what `/metrics` serves): counters as `counter`, gauges and
/// meters as `gauge`, timers and aggregating recorders as `histogram` (timers in seconds), with
/// the buckets `buckets` gives each name. The same name and labels always return the same series,
/// so callers may build their metric objects per use. A name asked for as another kind than the
/// first time gets a series that is not exposed rather than a crash.
public final class PrometheusRegistry: MetricsFactory {
    /// The registry `skiff` processes bootstrap swift-metrics with (`bootstrapProcess()`).
    public static let process = PrometheusRegistry(includeProcessMetrics: true)

    private static let bootstrapped: Void = MetricsSystem.bootstrap(process)

    /// Makes `process` the backend of swift-metrics (once per process; later calls do nothing).
    public static func bootstrapProcess() { _ = bootstrapped }

    let buckets: HistogramBuckets
    let includeProcessMetrics: Bool
    private let state = Mutex(State())

    private struct State {
        var families: [String: MetricFamily] = [:]
        /// Every registered series by the label and dimensions its callers give, as given: the
        /// metrics of each request find theirs here without sanitizing names or rendering labels.
        var registered: [Lookup: any AnyObject & Sendable] = [:]
    }

    private struct Lookup: Hashable {
        var label: String
        /// The dimensions' names and values, alternating.
        var dimensions: [String]
        var kind: MetricFamily.Kind
    }

    /// A registry with upstream's histogram buckets; `includeProcessMetrics` adds the `process_*`
    /// metrics of this process to every exposition.
    public init(buckets: HistogramBuckets = .upstream, includeProcessMetrics: Bool = false) {
        self.buckets = buckets
        self.includeProcessMetrics = includeProcessMetrics
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        series(label, dimensions, kind: .counter) { CounterSeries() }
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        series(label, dimensions, kind: .counter) { CounterSeries() }
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        series(label, dimensions, kind: .gauge) { GaugeSeries() }
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        if aggregate { return series(label, dimensions, kind: .histogram) { HistogramSeries(bounds: buckets.bounds(of: label)) } }
        return series(label, dimensions, kind: .gauge) { GaugeSeries() }
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        series(label, dimensions, kind: .histogram) { HistogramSeries(bounds: buckets.bounds(of: label)) }
    }

    // Series live as long as the process: a scrape must still see a metric after its last user is gone.
    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    public func destroyMeter(_ handler: any MeterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}

    /// Every metric in the text exposition format (version 0.0.4), families sorted by name.
    public func exposition() -> String {
        var all = state.withLock { $0.families }
        if includeProcessMetrics {
            for (name, family) in ProcessMetrics.current()?.families() ?? [:] where all[name] == nil { all[name] = family }
        }
        return all.keys.sorted().map { all[$0]!.rendered(name: $0) }.joined()
    }

    /// The content type of `exposition()`.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private func series<Series: AnyObject & Sendable>(
        _ label: String, _ dimensions: [(String, String)], kind: MetricFamily.Kind, make: () -> Series
    ) -> Series {
        var flattened: [String] = []
        flattened.reserveCapacity(dimensions.count * 2)
        for (name, value) in dimensions {
            flattened.append(name)
            flattened.append(value)
        }
        let lookup = Lookup(label: label, dimensions: flattened, kind: kind)
        if let found = state.withLock({ $0.registered[lookup] }) as? Series { return found }
        let name = PrometheusText.sanitizedName(label)
        let labels = dimensions.map { (PrometheusText.sanitizedName($0.0), $0.1) }
        return state.withLock { state in
            var family = state.families[name] ?? MetricFamily(kind: kind)
            guard family.kind == kind else { return make() }
            let key = LabelSet(labels)
            if let existing = family.series[key] as? Series {
                state.registered[lookup] = existing
                return existing
            }
            let created = make()
            family.series[key] = created
            state.families[name] = family
            state.registered[lookup] = created
            return created
        }
    }
}
