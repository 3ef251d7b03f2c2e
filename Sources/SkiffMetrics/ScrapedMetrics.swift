/// A `/metrics` answer read back: its samples, and the quantiles of its histograms as
/// Prometheus' `histogram_quantile` estimates them. `skiff bench cluster` reads the server's own
/// figures through it.
public struct ScrapedMetrics: Sendable {
    /// One sample line: a name, its labels, its value.
    public struct Sample: Sendable, Equatable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
        /// The sample's own time in milliseconds since the epoch, when the line gives one.
        public var timestampMilliseconds: Int64? = nil
    }

    public var samples: [Sample]

    /// Parses the text exposition format (comments and blank lines skipped; malformed lines too).
    public init(text: String) {
        samples = text.split(separator: "\n").compactMap { Self.sample(String($0)) }
    }

    /// The samples named `name` whose labels include `matching`.
    public func samples(_ name: String, matching: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in sample.name == name && matching.allSatisfy { sample.labels[$0.key] == $0.value } }
    }

    /// The sum of the samples named `name` whose labels include `matching`.
    public func sum(_ name: String, matching: [String: String] = [:]) -> Double {
        samples(name, matching: matching).reduce(0) { $0 + $1.value }
    }

    /// The `q` quantile (0…1) of histogram `name` over the series whose labels include
    /// `matching` (their buckets added up), interpolated linearly inside the bucket that holds
    /// it; nil without observations. A quantile in the `+Inf` bucket is the highest finite bound.
    public func quantile(_ q: Double, of name: String, matching: [String: String] = [:]) -> Double? {
        var cumulative: [Double: Double] = [:]
        for sample in samples(name + "_bucket", matching: matching) {
            guard let bound = sample.labels["le"].flatMap(Self.number) else { continue }
            cumulative[bound, default: 0] += sample.value
        }
        return Self.quantile(q, buckets: cumulative.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// `histogram_quantile` over cumulative buckets sorted by bound (the last being `+Inf`).
    public static func quantile(_ q: Double, buckets: [(bound: Double, count: Double)]) -> Double? {
        guard let total = buckets.last?.count, total > 0 else { return nil }
        let rank = q * total
        guard let index = buckets.firstIndex(where: { $0.count >= rank }) else { return nil }
        if buckets[index].bound.isInfinite { return buckets.count > 1 ? buckets[buckets.count - 2].bound : nil }
        let lower = index == 0 ? 0 : buckets[index - 1].bound
        let below = index == 0 ? 0 : buckets[index - 1].count
        let inBucket = buckets[index].count - below
        guard inBucket > 0 else { return buckets[index].bound }
        return lower + (buckets[index].bound - lower) * (rank - below) / inBucket
    }

    private static func sample(_ line: String) -> Sample? {
        guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
        var labels: [String: String] = [:]
        let name: Substring
        let rest: Substring
        if let open = line.firstIndex(of: "{") {
            name = line[..<open]
            guard let (parsed, end) = labelSet(line[line.index(after: open)...]) else { return nil }
            labels = parsed
            rest = end
        } else {
            guard let space = line.firstIndex(of: " ") else { return nil }
            name = line[..<space]
            rest = line[space...]
        }
        let fields = rest.split(separator: " ")
        guard let valueText = fields.first, let value = number(String(valueText)) else { return nil }
        return Sample(name: String(name), labels: labels, value: value, timestampMilliseconds: fields.dropFirst().first.flatMap { Int64($0) })
    }

    /// Reads `name="value",…}` and returns the labels and what follows the closing brace.
    private static func labelSet(_ text: Substring) -> ([String: String], Substring)? {
        var labels: [String: String] = [:]
        var rest = text
        while let first = rest.first, first != "}" {
            if first == "," { rest.removeFirst(); continue }
            guard let equals = rest.firstIndex(of: "="), rest[rest.index(after: equals)...].first == "\"" else { return nil }
            let key = String(rest[..<equals])
            rest = rest[rest.index(equals, offsetBy: 2)...]
            var value = ""
            var escaping = false
            while let character = rest.popFirst() {
                if escaping {
                    value.append(character == "n" ? "\n" : character)
                    escaping = false
                } else if character == "\\" {
                    escaping = true
                } else if character == "\"" {
                    break
                } else {
                    value.append(character)
                }
            }
            labels[key] = value
        }
        guard rest.first == "}" else { return nil }
        return (labels, rest.dropFirst())
    }

    private static func number(_ text: String) -> Double? {
        switch text {
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        default: return Double(text)
        }
    }
}
