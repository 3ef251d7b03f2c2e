import SkiffAPI

/// The last two readings of every node and container (metrics-server's storage), from which
/// usages are served. A node's scrape replaces what it reported before: its containers that
/// are gone are forgotten; a container that restarted starts over.
public struct UsageHistory: Sendable {
    /// A pod by namespace and name.
    public struct PodKey: Sendable, Hashable {
        public var namespace: String
        public var name: String

        public init(namespace: String, name: String) {
            (self.namespace, self.name) = (namespace, name)
        }
    }

    private struct Pair: Sendable {
        var previous: MetricsPoint?
        var last: MetricsPoint
    }

    /// How often nodes are scraped: a container that started less than this before its first
    /// reading gets a usage at once, counted from its start (as metrics-server).
    let resolution: Duration
    private var nodes: [String: Pair] = [:]
    private var containers: [String: [NodeScrape.ContainerKey: Pair]] = [:]

    public init(resolution: Duration) {
        self.resolution = resolution
    }

    /// Records node `name`'s scrape.
    public mutating func record(_ scrape: NodeScrape, node name: String) {
        if let point = scrape.node {
            nodes[name] = Pair(previous: Self.previous(nodes[name], before: point), last: point)
        } else {
            nodes[name] = nil
        }
        let known = containers[name] ?? [:]
        var next: [NodeScrape.ContainerKey: Pair] = [:]
        for (key, point) in scrape.containers {
            var previous = Self.previous(known[key], before: point)
            if let old = known[key]?.last, old.startTime != point.startTime { previous = nil }
            if previous == nil, let start = point.startTime, start < point.timestamp, point.timestamp.duration(since: start) < resolution {
                previous = MetricsPoint(startTime: start, timestamp: start, cpuSeconds: 0, memoryBytes: 0)
            }
            next[key] = Pair(previous: previous, last: point)
        }
        containers[name] = next
    }

    /// Forgets nodes other than `names` (deleted ones).
    public mutating func keepNodes(_ names: Set<String>) {
        nodes = nodes.filter { names.contains($0.key) }
        containers = containers.filter { names.contains($0.key) }
    }

    /// Node `name`'s usage, once it has two readings.
    public func node(_ name: String) -> ResourceUsage? {
        nodes[name].flatMap { pair in pair.previous.flatMap { ResourceUsage(previous: $0, last: pair.last) } }
    }

    /// Every pod whose containers all have a usage, with them by container name.
    public var pods: [PodKey: [String: ResourceUsage]] {
        var pods: [PodKey: [String: ResourceUsage]] = [:]
        var incomplete: Set<PodKey> = []
        for (key, pair) in containers.values.joined() {
            let pod = PodKey(namespace: key.namespace, name: key.pod)
            guard let usage = pair.previous.flatMap({ ResourceUsage(previous: $0, last: pair.last) }) else {
                incomplete.insert(pod)
                continue
            }
            pods[pod, default: [:]][key.container] = usage
        }
        return pods.filter { !incomplete.contains($0.key) }
    }

    /// The reading to compute from with `point`: the last one, if older; else the one before.
    private static func previous(_ pair: Pair?, before point: MetricsPoint) -> MetricsPoint? {
        guard let pair else { return nil }
        if pair.last.timestamp < point.timestamp { return pair.last }
        return pair.previous.flatMap { $0.timestamp < point.timestamp ? $0 : nil }
    }
}
