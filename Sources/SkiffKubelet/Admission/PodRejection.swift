import SkiffAPI
import SkiffModels

/// Why a kubelet refused to run a pod bound to its node (upstream's `PodAdmitResult` when not
/// admitted): the pod's `status.reason` (`OutOfcpu`, `NodeAffinity`, ...) and what the event says.
struct PodRejection: Sendable, Equatable {
    var reason: String
    var message: String

    /// Too little of a resource left (upstream's `InsufficientResourceError`); `resource` is
    /// `pods`, `cpu` (amounts in millicores), `memory` or `ephemeral-storage` (bytes).
    static func insufficient(_ resource: String, requested: Int64, used: Int64, capacity: Int64) -> PodRejection {
        PodRejection(
            reason: "OutOf\(resource)",
            message: "Node didn't have enough resource: \(resource), requested: \(requested), used: \(used), capacity: \(capacity)")
    }

    /// A scheduling predicate the pod fails on this node (upstream's `PredicateFailureError`).
    static func predicate(_ name: String, _ description: String) -> PodRejection {
        PodRejection(reason: name, message: "Predicate \(name) failed: \(description)")
    }

    /// The status the kubelet writes for the rejected pod (upstream's `rejectPod`): phase
    /// `Failed` with the reason and "Pod was rejected: <message>", the QoS class kept, a start
    /// time, and only the conditions the kubelet does not own.
    func status(of pod: CoreV1.Pod, at now: Timestamp) -> CoreV1.PodStatus {
        var status = CoreV1.PodStatus()
        status.phase = "Failed"
        status.reason = reason
        status.message = "Pod was rejected: \(message)"
        status.qosClass = pod.status?.qosClass
        status.startTime = pod.status?.startTime ?? now
        let kept = (pod.status?.conditions ?? []).filter { !Self.kubeletConditions.contains($0.type) }
        status.conditions = kept.isEmpty ? nil : kept
        return status
    }

    /// The conditions a kubelet sets (upstream's `PodConditionsByKubelet`).
    private static let kubeletConditions: Set<String> = ["PodScheduled", "Ready", "Initialized", "ContainersReady", "PodReadyToStartContainers"]
}
