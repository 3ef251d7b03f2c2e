/// The series of one metric name, all of one kind, keyed by their labels.
struct MetricFamily: Sendable {
    enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    let kind: Kind
    var series: [LabelSet: any AnyObject & Sendable] = [:]

    /// The family's `# TYPE` line and samples, series sorted by their labels.
    func rendered(name: String) -> String {
        var text = "# TYPE \(name) \(kind.rawValue)\n"
        for key in series.keys.sorted() {
            switch series[key] {
            case let counter as CounterSeries: text += sample(name, key.pairs, counter.value)
            case let gauge as GaugeSeries: text += sample(name, key.pairs, gauge.value)
            case let histogram as HistogramSeries:
                let snapshot = histogram.snapshot
                for (bound, count) in snapshot.buckets {
                    text += sample(name + "_bucket", key.pairs + [("le", PrometheusText.number(bound))], Double(count))
                }
                text += sample(name + "_bucket", key.pairs + [("le", "+Inf")], Double(snapshot.count))
                text += sample(name + "_sum", key.pairs, snapshot.sum)
                text += sample(name + "_count", key.pairs, Double(snapshot.count))
            case let constant as ConstantSeries: text += sample(name, key.pairs, constant.value)
            default: continue
            }
        }
        return text
    }

    private func sample(_ name: String, _ labels: [(String, String)], _ value: Double) -> String {
        name + PrometheusText.labels(labels) + " " + PrometheusText.number(value) + "\n"
    }
}

/// A value read once for a scrape (the process metrics).
final class ConstantSeries: Sendable {
    let value: Double

    init(_ value: Double) { self.value = value }
}

/// A series' labels in the order given, compared and sorted by their text.
struct LabelSet: Hashable, Comparable, Sendable {
    let pairs: [(String, String)]
    private let text: String

    init(_ pairs: [(String, String)]) {
        self.pairs = pairs
        self.text = PrometheusText.labels(pairs)
    }

    static func == (lhs: LabelSet, rhs: LabelSet) -> Bool { lhs.text == rhs.text }
    static func < (lhs: LabelSet, rhs: LabelSet) -> Bool { lhs.text < rhs.text }
    func hash(into hasher: inout Hasher) { hasher.combine(text) }
}
