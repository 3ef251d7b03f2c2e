import SkiffAPI
import SkiffMetrics

/// One answer of a kubelet's `/metrics/resource`, read into points: the node's, and each
/// container's by namespace, pod and name (metrics-server's decoder). Samples without a
/// timestamp take the time the answer arrived.
public struct NodeScrape: Sendable, Equatable {
    /// A container of a pod.
    public struct ContainerKey: Sendable, Hashable {
        public var namespace: String
        public var pod: String
        public var container: String

        public init(namespace: String, pod: String, container: String) {
            (self.namespace, self.pod, self.container) = (namespace, pod, container)
        }
    }

    public var node: MetricsPoint?
    public var containers: [ContainerKey: MetricsPoint]

    public init(node: MetricsPoint?, containers: [ContainerKey: MetricsPoint]) {
        self.node = node
        self.containers = containers
    }

    /// Reads the exposition `text`, received at `receivedAt`.
    public init(text: String, receivedAt: Timestamp) {
        let scraped = ScrapedMetrics(text: text)
        let time = { (sample: ScrapedMetrics.Sample) in
            sample.timestampMilliseconds.map { Timestamp(seconds: $0 / 1000, nanoseconds: Int32($0 % 1000) * 1_000_000) } ?? receivedAt
        }
        let nodeCPU = scraped.samples("node_cpu_usage_seconds_total").first
        let nodeMemory = scraped.samples("node_memory_working_set_bytes").first
        if let nodeCPU, let nodeMemory {
            node = MetricsPoint(timestamp: time(nodeCPU), cpuSeconds: nodeCPU.value, memoryBytes: nodeMemory.value)
        } else {
            node = nil
        }
        let key = { (sample: ScrapedMetrics.Sample) -> ContainerKey? in
            guard let namespace = sample.labels["namespace"], let pod = sample.labels["pod"], let container = sample.labels["container"] else { return nil }
            return ContainerKey(namespace: namespace, pod: pod, container: container)
        }
        var memory: [ContainerKey: Double] = [:]
        var started: [ContainerKey: Timestamp] = [:]
        for sample in scraped.samples("container_memory_working_set_bytes") { if let key = key(sample) { memory[key] = sample.value } }
        for sample in scraped.samples("container_start_time_seconds") {
            if let key = key(sample) {
                let whole = sample.value.rounded(.down)
                started[key] = Timestamp(seconds: Int64(whole), nanoseconds: Int32((sample.value - whole) * 1e9))
            }
        }
        var containers: [ContainerKey: MetricsPoint] = [:]
        for sample in scraped.samples("container_cpu_usage_seconds_total") {
            guard let key = key(sample), let bytes = memory[key] else { continue }
            containers[key] = MetricsPoint(startTime: started[key], timestamp: time(sample), cpuSeconds: sample.value, memoryBytes: bytes)
        }
        self.containers = containers
    }
}
