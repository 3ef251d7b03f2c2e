import SkiffComponentHelpers
import SkiffModels

/// The pods one node's kubelet has admitted and not yet seen finish, with running totals of what
/// they request and the host ports they hold: what upstream's admission builds from the
/// kubelet's active pods for each new pod, kept incrementally so that a node with many pods
/// admits in constant time.
struct AdmittedPods: Sendable {
    private struct Holding: Sendable {
        var requests: ComputeResources
        var hostPorts: [HostPort]
    }

    /// The node's allocatable resources (`pods` is its pod capacity).
    let allocatable: ComputeResources
    private var pods: [String: Holding] = [:]
    private var requested = ComputeResources()
    private var usedPorts = HostPortSet()

    init(allocatable: ComputeResources) {
        self.allocatable = allocatable
    }

    /// How many pods are admitted.
    var count: Int { pods.count }

    /// Whether the pod with UID `uid` is admitted (and not released).
    func contains(uid: String) -> Bool { pods[uid] != nil }

    /// Admits the pod with UID `uid` unless it does not fit (upstream's `predicateAdmitHandler`):
    /// its OS, then the node's room (pods, cpu, memory, ephemeral storage, in that order), then its
    /// required node affinity, host ports and the node's NoExecute taints (static pods, which upstream
    /// exempts from the taints, are not run through here).
    /// `node` is the Node as last seen (its labels and taints; nil: not seen yet, nothing to match).
    /// The first failure is returned and nothing is admitted; an admitted pod counts until released.
    mutating func admit(_ pod: CoreV1.Pod, uid: String, node: CoreV1.Node?) -> PodRejection? {
        if let rejection = check(pod, node: node) { return rejection }
        occupy(pod, uid: uid)
        return nil
    }

    /// Counts the pod as admitted without checking (a pod that was already running when the
    /// kubelet started is not turned away).
    mutating func occupy(_ pod: CoreV1.Pod, uid: String) {
        guard pods[uid] == nil else { return }
        let holding = Holding(requests: PodRequests.of(pod.spec, nonZero: false), hostPorts: HostPort.of(pod.spec))
        pods[uid] = holding
        requested = requested + holding.requests
        holding.hostPorts.forEach { usedPorts.add($0) }
    }

    /// Stops counting the pod (it finished or is gone); unknown UIDs are ignored.
    mutating func release(uid: String) {
        guard let holding = pods.removeValue(forKey: uid) else { return }
        requested = requested - holding.requests
        holding.hostPorts.forEach { usedPorts.remove($0) }
    }

    private func check(_ pod: CoreV1.Pod, node: CoreV1.Node?) -> PodRejection? {
        if let os = pod.metadata?.labels?["kubernetes.io/os"], os != "linux" {
            return PodRejection(
                reason: "PodOSSelectorNodeLabelDoesNotMatch",
                message: "Failed to admit pod as the `kubernetes.io/os` label doesn't match node label")
        }
        if let os = pod.spec?.os?.name, os != "linux" {
            return PodRejection(reason: "PodOSNotSupported", message: "Failed to admit pod as the OS field doesn't match node OS")
        }
        if let rejection = insufficientResource(for: pod) { return rejection }
        if let node, !RequiredNodeAffinity(pod.spec).matches(node) {
            return .predicate("NodeAffinity", "node(s) didn't match Pod's node affinity/selector")
        }
        if HostPort.of(pod.spec).contains(where: usedPorts.conflicts(with:)) {
            return .predicate("NodePorts", "node(s) didn't have free ports for the requested pod ports")
        }
        if let node,
            TaintToleration.untoleratedTaint(
                node.spec?.taints ?? [], tolerations: pod.spec?.tolerations ?? [], effects: [CoreV1.Taint.Effect.noExecute]) != nil
        {
            return .predicate("TaintToleration", "node(s) had taints that the pod didn't tolerate")
        }
        return nil
    }

    /// The first resource the pod asks more of than is left (upstream's `noderesources.Fits`).
    private func insufficientResource(for pod: CoreV1.Pod) -> PodRejection? {
        if Int64(pods.count) + 1 > allocatable.pods {
            return .insufficient("pods", requested: 1, used: Int64(pods.count), capacity: allocatable.pods)
        }
        let request = PodRequests.of(pod.spec, nonZero: false)
        let amounts: [(String, Int64, Int64, Int64)] = [
            ("cpu", request.milliCPU, requested.milliCPU, allocatable.milliCPU),
            ("memory", request.memory, requested.memory, allocatable.memory),
            ("ephemeral-storage", request.ephemeralStorage, requested.ephemeralStorage, allocatable.ephemeralStorage),
        ]
        for (resource, asked, used, capacity) in amounts where asked > 0 && asked > capacity - used {
            return .insufficient(resource, requested: asked, used: used, capacity: capacity)
        }
        return nil
    }
}
