import SkiffAPI
import SkiffModels

/// The conditions a kubelet owns on a pod (upstream's `status` generators, in the order the
/// kubelet writes them): `PodReadyToStartContainers`, `Initialized`, `Ready`,
/// `ContainersReady`, `PodScheduled`. Conditions others own (readiness gates, disruption
/// targets) are kept.
struct PodConditions: Sendable {
    static let kubeletOwned: Set<String> = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]

    let phase: String
    let sandboxReady: Bool
    let incompleteInitContainers: [String]
    let unreadyContainers: [String]

    /// The kubelet's conditions without transition times.
    var generated: [CoreV1.PodCondition] {
        // `lastProbeTime` is null for these conditions: stored objects drop null members, so it is left out.
        func condition(_ type: String, _ status: Bool, reason: String? = nil, message: String? = nil) -> CoreV1.PodCondition {
            CoreV1.PodCondition(message: message, reason: reason, status: status ? "True" : "False", type: type)
        }
        let initialized: CoreV1.PodCondition
        if phase == "Succeeded" {
            initialized = condition("Initialized", true, reason: "PodCompleted")
        } else if incompleteInitContainers.isEmpty {
            initialized = condition("Initialized", true)
        } else {
            initialized = condition(
                "Initialized", false, reason: "ContainersNotInitialized",
                message: "containers with incomplete status: [\(incompleteInitContainers.joined(separator: " "))]")
        }
        func readiness(_ type: String) -> CoreV1.PodCondition {
            switch phase {
            case "Succeeded": return condition(type, false, reason: "PodCompleted")
            case "Failed": return condition(type, false, reason: "PodFailed")
            default:
                guard !unreadyContainers.isEmpty else { return condition(type, true) }
                return condition(
                    type, false, reason: "ContainersNotReady",
                    message: "containers with unready status: [\(unreadyContainers.joined(separator: " "))]")
            }
        }
        return [
            condition("PodReadyToStartContainers", sandboxReady), initialized, readiness("Ready"), readiness("ContainersReady"),
            condition("PodScheduled", true),
        ]
    }

    /// `existing` conditions with the kubelet's replaced: others first, then the kubelet's; a
    /// condition keeps its `lastTransitionTime` while its status stays the same.
    func merged(into existing: [CoreV1.PodCondition], now: Timestamp) -> [CoreV1.PodCondition] {
        let others = existing.filter { !Self.kubeletOwned.contains($0.type) }
        let owned = generated.map { condition -> CoreV1.PodCondition in
            var condition = condition
            let old = existing.first { $0.type == condition.type }
            if let old, old.status == condition.status, let time = old.lastTransitionTime {
                condition.lastTransitionTime = time
            } else {
                condition.lastTransitionTime = now.wholeSeconds
            }
            return condition
        }
        return others + owned
    }
}
