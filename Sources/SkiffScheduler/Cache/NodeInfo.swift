import SkiffComponentHelpers

/// A node as the scheduler sees it (upstream's `framework.NodeInfo`): the Node's facts and the
/// aggregate of the pods bound or assumed on it, kept up to date incrementally so that filters
/// and scores read plain numbers.
struct NodeInfo: Sendable {
    var node: Node
    /// Pods bound or assumed here, by key.
    private(set) var pods: [String: PodInfo] = [:]
    /// The sum of the pods' requests.
    private(set) var requested = ComputeResources()
    /// The sum of the pods' requests with upstream's non-zero defaults.
    private(set) var nonZeroRequested = ComputeResources()
    private(set) var usedPorts = HostPortSet()
    /// How many of the pods have required anti-affinity terms.
    private(set) var podsWithRequiredAntiAffinity = 0

    init(node: Node) {
        self.node = node
    }

    var name: String { node.name }

    mutating func add(_ pod: PodInfo) {
        if let previous = pods.updateValue(pod, forKey: pod.key) { account(previous, sign: -1) }
        account(pod, sign: 1)
    }

    mutating func remove(key: String) {
        if let previous = pods.removeValue(forKey: key) { account(previous, sign: -1) }
    }

    private mutating func account(_ pod: PodInfo, sign: Int64) {
        if sign > 0 {
            requested = requested + pod.requests
            nonZeroRequested = nonZeroRequested + pod.nonZeroRequests
            pod.hostPorts.forEach { usedPorts.add($0) }
        } else {
            requested = requested - pod.requests
            nonZeroRequested = nonZeroRequested - pod.nonZeroRequests
            pod.hostPorts.forEach { usedPorts.remove($0) }
        }
        if pod.hasRequiredAntiAffinity { podsWithRequiredAntiAffinity += Int(sign) }
    }
}
