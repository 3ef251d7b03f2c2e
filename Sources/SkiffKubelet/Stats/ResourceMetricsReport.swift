import SkiffAPI

/// A node's resource figures in the Prometheus text format of upstream's kubelet
/// `/metrics/resource` (what metrics-server scrapes): node, pod and container CPU counters and
/// working sets, container start times and the scrape-error gauges, every sample stamped with
/// the time it was read (milliseconds).
struct ResourceMetricsReport: Sendable {
    /// One running container's figures.
    struct Container: Sendable {
        var namespace: String
        var pod: String
        var name: String
        var startedAt: Timestamp
        var usage: ContainerUsage
    }

    /// The node's own figures; nil when unknown.
    var node: ContainerUsage?
    var containers: [Container]
    var at: Timestamp

    /// The exposition, families sorted by name as upstream's.
    var text: String {
        let stamp = " \(at.seconds * 1000 + Int64(at.nanoseconds / 1_000_000))"
        var lines: [String] = []
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Double)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for sample in samples { lines.append("\(name)\(sample.labels) \(Self.number(sample.value))\(stamp)") }
        }
        let sorted = containers.sorted { ($0.namespace, $0.pod, $0.name) < ($1.namespace, $1.pod, $1.name) }
        let containerLabels = { (c: Container) in "{container=\"\(c.name)\",namespace=\"\(c.namespace)\",pod=\"\(c.pod)\"}" }
        var pods: [(labels: String, usage: ContainerUsage)] = []
        for container in sorted {
            let labels = "{namespace=\"\(container.namespace)\",pod=\"\(container.pod)\"}"
            if pods.last?.labels == labels {
                pods[pods.count - 1].usage.cpuSeconds += container.usage.cpuSeconds
                pods[pods.count - 1].usage.memoryBytes += container.usage.memoryBytes
            } else {
                pods.append((labels, container.usage))
            }
        }
        family("container_cpu_usage_seconds_total", "counter", "[STABLE] Cumulative cpu time consumed by the container in core-seconds",
               sorted.map { (containerLabels($0), $0.usage.cpuSeconds) })
        family("container_memory_working_set_bytes", "gauge", "[STABLE] Current working set of the container in bytes",
               sorted.map { (containerLabels($0), $0.usage.memoryBytes) })
        family("container_start_time_seconds", "gauge", "[STABLE] Start time of the container since unix epoch in seconds",
               sorted.map { (containerLabels($0), Double($0.startedAt.seconds) + Double($0.startedAt.nanoseconds) / 1e9) })
        family("node_cpu_usage_seconds_total", "counter", "[STABLE] Cumulative cpu time consumed by the node in core-seconds",
               node.map { [("", $0.cpuSeconds)] } ?? [])
        family("node_memory_working_set_bytes", "gauge", "[STABLE] Current working set of the node in bytes",
               node.map { [("", $0.memoryBytes)] } ?? [])
        family("pod_cpu_usage_seconds_total", "counter", "[STABLE] Cumulative cpu time consumed by the pod in core-seconds",
               pods.map { ($0.labels, $0.usage.cpuSeconds) })
        family("pod_memory_working_set_bytes", "gauge", "[STABLE] Current working set of the pod in bytes",
               pods.map { ($0.labels, $0.usage.memoryBytes) })
        lines.append("# HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise")
        lines.append("# TYPE resource_scrape_error gauge")
        lines.append("resource_scrape_error 0")
        lines.append("# HELP scrape_error [ALPHA] (Deprecated since 1.29.0) 1 if there was an error while getting container metrics, 0 otherwise")
        lines.append("# TYPE scrape_error gauge")
        lines.append("scrape_error 0")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A sample value as Go's `strconv.FormatFloat(v, 'g', -1, 64)` would print common ones.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
