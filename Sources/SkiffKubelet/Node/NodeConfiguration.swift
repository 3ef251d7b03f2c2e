/// What a kubelet reports about its node: the resources it offers and its identity.
public struct NodeConfiguration: Sendable, Hashable {
    /// `status.capacity` (and `allocatable`: no resources are reserved for the system).
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
