import SkiffAPI
import SkiffModels

/// What a kubelet reports about its node: the resources it offers and its identity.
public struct NodeConfiguration: Sendable, Hashable {
    /// `status.capacity` (and `allocatable`, less the hard eviction thresholds: no resources are
    /// reserved for the system).
    public var cpu = "32"
    /// `memory` capacity.
    public var memory = "256Gi"
    /// `pods` capacity (`--max-pods`).
    public var pods = "110"
    /// `ephemeral-storage` capacity.
    public var ephemeralStorage = "1Ti"
    /// `node.kubernetes.io/instance-type`, when set.
    public var instanceType: String?
    /// Extra labels (`--node-labels`).
    public var labels: [String: String] = [:]
    /// `status.nodeInfo.kubeletVersion`.
    public var kubeletVersion = "v1.32.0"
    /// `status.nodeInfo.osImage`.
    public var osImage = "Skiff simulated node"
    /// `status.nodeInfo.kernelVersion`.
    public var kernelVersion = "6.8.0-skiff"
    /// The kubelet's port (`status.daemonEndpoints.kubeletEndpoint.Port`).
    public var kubeletPort: Int64 = 10250
    /// How the node evicts pods under pressure (nil: it does not, as simulated nodes; a node
    /// running real containers gets upstream's defaults from `measuringHost`). Its hard
    /// thresholds for `memory.available` and `nodefs.available` come off the allocatable
    /// memory and ephemeral storage, as upstream's.
    public var eviction: EvictionConfiguration?
    /// The node's `InternalIP` (upstream's `--node-ip`); nil: an address of the kubelet's node
    /// network (`KubeletConfiguration.nodeIPNetwork`), as simulated nodes have.
    public var address: String?

    public init() {}

    /// `status.nodeInfo.architecture` and the `kubernetes.io/arch` label: this machine's.
    public static var architecture: String {
        #if arch(arm64)
        return "arm64"
        #else
        return "amd64"
        #endif
    }
}

extension NodeConfiguration {
    /// `status.capacity` without hugepages: cpu, memory, pods, ephemeral-storage.
    var capacity: [String: Quantity] {
        ["cpu": Quantity(cpu), "memory": Quantity(memory), "pods": Quantity(pods), "ephemeral-storage": Quantity(ephemeralStorage)]
    }

    /// `status.allocatable` without hugepages: the capacity less the hard eviction thresholds of
    /// memory (`memory.available`) and ephemeral storage (`nodefs.available`), as upstream's
    /// node allocatable (no system or kube reservations here).
    var allocatable: [String: Quantity] {
        var resources = capacity
        for threshold in eviction?.hard ?? [] {
            let resource: String
            switch threshold.signal {
            case .memoryAvailable: resource = "memory"
            case .nodefsAvailable: resource = "ephemeral-storage"
            default: continue
            }
            guard let total = resources[resource].flatMap({ ResourceQuantity(.string($0.string)) })?.value else { continue }
            resources[resource] = Quantity(MachineCapacity.binary(max(total - threshold.minimum(capacity: total), 0)))
        }
        return resources
    }
}
