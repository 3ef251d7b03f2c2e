import SkiffAPI
import SkiffModels

extension KubeletHost {
    /// What the simulated node itself uses besides its containers (its system daemons).
    static let simulatedSystemUsage = SimulatedUsageRate(cores: 0.05, memoryBytes: 256 * 1024 * 1024)

    /// A running container as the pod's status reports it.
    private struct RunningContainer {
        var pod: CoreV1.Pod
        var spec: CoreV1.Container
        /// The status' `containerID` (`scheme://id`).
        var id: String
        var startedAt: Timestamp

        func report(_ usage: ContainerUsage) -> ResourceMetricsReport.Container {
            ResourceMetricsReport.Container(namespace: pod.namespace, pod: pod.name, name: spec.name, startedAt: startedAt, usage: usage)
        }
    }

    /// The `/metrics/resource` figures of node `name` (nil when this host does not run it). A
    /// simulated node reports each running container at its `SimulatedUsageRate` and itself as
    /// their sum plus `simulatedSystemUsage`; a node with real containers reports what its
    /// runtime reads of each (their cgroups) and the machine's figures (`HostUsage`).
    func resourceMetrics(node name: String) async -> ResourceMetricsReport? {
        guard let node = nodes[name] else { return nil }
        // Whole milliseconds, as the samples are stamped: rates computed from the stamps are exact.
        let instant = clock.now
        let now = Timestamp(seconds: instant.seconds, nanoseconds: instant.nanoseconds / 1_000_000 * 1_000_000)
        let running = runningContainers(on: name)
        guard node.runtime is SimulatedRuntime else {
            var containers: [ResourceMetricsReport.Container] = []
            for container in running {
                if let usage = await node.runtime.containerUsage(PodLifecycle.runtimeID(container.id)) { containers.append(container.report(usage)) }
            }
            return ResourceMetricsReport(node: HostUsage.read(), containers: containers, at: now)
        }
        let readings = running.map { SimulatedUsageMeter.Reading(containerID: $0.id, startedAt: $0.startedAt, rate: SimulatedUsageRate(pod: $0.pod, container: $0.spec)) }
        let system = Self.simulatedSystemUsage
        let nodeRate = readings.reduce(system) { SimulatedUsageRate(cores: $0.cores + $1.rate.cores, memoryBytes: $0.memoryBytes + $1.rate.memoryBytes) }
        // The node's counter is read as one more container, started at its first reading.
        let nodeKey = ""
        let usage = node.usage.read(readings + [.init(containerID: nodeKey, startedAt: now, rate: nodeRate)], now: now)
        return ResourceMetricsReport(node: usage[nodeKey], containers: running.compactMap { container in usage[container.id].map(container.report) }, at: now)
    }

    /// The running containers of the pods bound to node `name`, from their reported status.
    private func runningContainers(on name: String) -> [RunningContainer] {
        podInformer.indexer.byIndex(Self.nodeNameIndex, value: name).flatMap { pod in
            let specs = pod.spec?.containers ?? []
            return (pod.status?.containerStatuses ?? []).compactMap { status -> RunningContainer? in
                guard let startedAt = status.state?.running?.startedAt, let id = status.containerID,
                    let spec = specs.first(where: { $0.name == status.name })
                else { return nil }
                return RunningContainer(pod: pod, spec: spec, id: id, startedAt: startedAt)
            }
        }
    }
}
