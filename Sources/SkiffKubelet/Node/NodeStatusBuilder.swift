import SkiffAPI
import SkiffModels

/// The Node object a kubelet registers and the status it reports, as upstream's kubelet builds
/// them (`kubelet_node_status.go` and its setters): default labels, capacity and allocatable,
/// the pressure conditions and `Ready`, addresses, daemon endpoints, node info.
struct NodeStatusBuilder: Sendable {
    let name: String
    let internalIP: String
    let podCIDR: String
    let configuration: NodeConfiguration
    let runtimeVersion: String
    /// The node's identity for `nodeInfo` (stable across restarts of the same node name).
    var machineID: String { String(HexDigest.of("machine:" + name).prefix(32)) }

    /// The labels a kubelet always sets (upstream's `updateDefaultLabels` keeps them current).
    var defaultLabels: [String: String] {
        var labels = [
            "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": NodeConfiguration.architecture,
            "beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": NodeConfiguration.architecture,
        ]
        if let instanceType = configuration.instanceType {
            labels["node.kubernetes.io/instance-type"] = instanceType
            labels["beta.kubernetes.io/instance-type"] = instanceType
        }
        return labels.merging(configuration.labels) { _, extra in extra }
    }

    /// The Node to create at registration.
    func initialNode(now: Timestamp) -> CoreV1.Node {
        CoreV1.Node(
            metadata: ObjectMeta(
                name: name, labels: defaultLabels,
                annotations: ["node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"]),
            spec: CoreV1.NodeSpec(podCIDR: podCIDR, podCIDRs: [podCIDR]),
            status: status(previous: nil, now: now))
    }

    /// The status to report at `now`, under the `pressure` conditions the eviction manager
    /// holds; conditions keep their `lastTransitionTime` from `previous` while their status stays
    /// the same. Times are whole seconds, as written.
    func status(previous: CoreV1.NodeStatus?, now: Timestamp, pressure: Set<NodePressure> = []) -> CoreV1.NodeStatus {
        let now = now.wholeSeconds
        let hugepages: [String: Quantity] = ["hugepages-1Gi": "0", "hugepages-2Mi": "0"]
        let capacity = configuration.capacity.merging(hugepages) { first, _ in first }
        let allocatable = configuration.allocatable.merging(hugepages) { first, _ in first }
        let conditions: [(type: String, status: String, reason: String, message: String)] = NodePressure.allCases.map { kind in
            let condition = Self.pressureCondition(kind, underPressure: pressure.contains(kind))
            return (kind.rawValue, condition.status, condition.reason, condition.message)
        } + [("Ready", "True", "KubeletReady", "kubelet is posting ready status")]
        let previousConditions = previous?.conditions ?? []
        return CoreV1.NodeStatus(
            addresses: [CoreV1.NodeAddress(address: internalIP, type: "InternalIP"), CoreV1.NodeAddress(address: name, type: "Hostname")],
            allocatable: allocatable, capacity: capacity,
            conditions: conditions.map { condition in
                let old = previousConditions.first { $0.type == condition.type }
                let transition = old?.status == condition.status ? old?.lastTransitionTime : nil
                return CoreV1.NodeCondition(
                    lastHeartbeatTime: now, lastTransitionTime: transition ?? now, message: condition.message, reason: condition.reason,
                    status: condition.status, type: condition.type)
            },
            daemonEndpoints: CoreV1.NodeDaemonEndpoints(kubeletEndpoint: CoreV1.DaemonEndpoint(Port: Int32(configuration.kubeletPort))),
            nodeInfo: CoreV1.NodeSystemInfo(
                architecture: NodeConfiguration.architecture, bootID: Self.uuid(from: HexDigest.of("boot:" + name)),
                containerRuntimeVersion: runtimeVersion, kernelVersion: configuration.kernelVersion, kubeProxyVersion: "",
                kubeletVersion: configuration.kubeletVersion, machineID: machineID, operatingSystem: "linux", osImage: configuration.osImage,
                systemUUID: Self.uuid(from: HexDigest.of("system:" + name))))
    }

    /// A pressure condition as upstream's kubelet words it, and the node event of a change to it.
    static func pressureCondition(_ pressure: NodePressure, underPressure: Bool) -> (status: String, reason: String, message: String, event: String) {
        switch (pressure, underPressure) {
        case (.memory, false): ("False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", "NodeHasSufficientMemory")
        case (.memory, true): ("True", "KubeletHasInsufficientMemory", "kubelet has insufficient memory available", "NodeHasInsufficientMemory")
        case (.disk, false): ("False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", "NodeHasNoDiskPressure")
        case (.disk, true): ("True", "KubeletHasDiskPressure", "kubelet has disk pressure", "NodeHasDiskPressure")
        case (.pid, false): ("False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", "NodeHasSufficientPID")
        case (.pid, true): ("True", "KubeletHasInsufficientPID", "kubelet has insufficient PID available", "NodeHasInsufficientPID")
        }
    }

    /// Whether `current` needs writing for `computed` to be reported: anything but the
    /// heartbeat times differs.
    static func needsUpdate(current: CoreV1.NodeStatus?, computed: CoreV1.NodeStatus) -> Bool {
        func withoutHeartbeats(_ status: CoreV1.NodeStatus?) -> CoreV1.NodeStatus? {
            guard var status else { return nil }
            status.conditions = status.conditions?.map { condition in
                var condition = condition
                condition.lastHeartbeatTime = nil
                return condition
            }
            status.images = nil
            return status
        }
        return withoutHeartbeats(current) != withoutHeartbeats(computed)
    }

    /// `8-4-4-4-12` from 32 hex digits.
    private static func uuid(from hex: String) -> String {
        let digits = Array(hex.prefix(32))
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(digits[$0]) }.joined(separator: "-")
    }
}
