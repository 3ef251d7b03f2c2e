import SkiffAPI
import SkiffModels

extension KubeletHost {
    /// What the simulated node itself uses besides its containers (its system daemons).
    static let simulatedSystemUsage = SimulatedUsageRate(cores: 0.05, memoryBytes: 256 * 1024 * 1024)

    /// The `/metrics/resource` figures of node `name` (nil when this host does not run it). A
    /// simulated node reports each running container at its `SimulatedUsageRate` and itself as
    /// their sum plus `simulatedSystemUsage`; a node with real containers reports the machine's
    /// figures (`HostUsage`) and no containers yet.
    func resourceMetrics(node name: String) -> ResourceMetricsReport? {
        guard let node = nodes[name] else { return nil }
        // Whole milliseconds, as the samples are stamped: rates computed from the stamps are exact.
        let instant = clock.now
        let now = Timestamp(seconds: instant.seconds, nanoseconds: instant.nanoseconds / 1_000_000 * 1_000_000)
        guard node.runtime is SimulatedRuntime else { return ResourceMetricsReport(node: HostUsage.read(), containers: [], at: now) }
        var readings: [SimulatedUsageMeter.Reading] = []
        var running: [(pod: CoreV1.Pod, name: String, id: String, startedAt: Timestamp)] = []
        for pod in podInformer.indexer.list() where pod.spec?.nodeName == name {
            let specs = pod.spec?.containers ?? []
            for status in pod.status?.containerStatuses ?? [] {
                guard let startedAt = status.state?.running?.startedAt, let id = status.containerID,
                    let spec = specs.first(where: { $0.name == status.name })
                else { continue }
                readings.append(.init(containerID: id, startedAt: startedAt, rate: SimulatedUsageRate(pod: pod, container: spec)))
                running.append((pod, status.name, id, startedAt))
            }
        }
        let system = Self.simulatedSystemUsage
        let nodeRate = readings.reduce(system) { SimulatedUsageRate(cores: $0.cores + $1.rate.cores, memoryBytes: $0.memoryBytes + $1.rate.memoryBytes) }
        // The node's counter is read as one more container, started at its first reading.
        let nodeKey = ""
        let usage = node.usage.read(readings + [.init(containerID: nodeKey, startedAt: now, rate: nodeRate)], now: now)
        let containers = running.compactMap { entry in
            usage[entry.id].map {
                ResourceMetricsReport.Container(namespace: entry.pod.namespace, pod: entry.pod.name, name: entry.name, startedAt: entry.startedAt, usage: $0)
            }
        }
        return ResourceMetricsReport(node: usage[nodeKey], containers: containers, at: now)
    }
}
