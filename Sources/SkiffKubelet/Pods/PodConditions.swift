import SkiffAPI

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
    var generated: [JSONValue] {
        func condition(_ type: String, _ status: Bool, reason: String? = nil, message: String? = nil) -> JSONValue {
            // `lastProbeTime` is null for these conditions: stored objects drop null members, so it is left out.
            var condition: JSONValue = ["type": .string(type), "status": status ? "True" : "False"]
            if let reason { condition["reason"] = .string(reason) }
            if let message { condition["message"] = .string(message) }
            return condition
        }
        let initialized: JSONValue
        if phase == "Succeeded" {
            initialized = condition("Initialized", true, reason: "PodCompleted")
        } else if incompleteInitContainers.isEmpty {
            initialized = condition("Initialized", true)
        } else {
            initialized = condition(
                "Initialized", false, reason: "ContainersNotInitialized",
                message: "containers with incomplete status: [\(incompleteInitContainers.joined(separator: " "))]")
        }
        func readiness(_ type: String) -> JSONValue {
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
    func merged(into existing: [JSONValue], now: Timestamp) -> [JSONValue] {
        let others = existing.filter { !Self.kubeletOwned.contains($0["type"]?.stringValue ?? "") }
        let owned = generated.map { condition -> JSONValue in
            var condition = condition
            let old = existing.first { $0["type"] == condition["type"] }
            if let old, old["status"] == condition["status"], let time = old["lastTransitionTime"], !time.isNull {
                condition["lastTransitionTime"] = time
            } else {
                condition["lastTransitionTime"] = .string(now.rfc3339)
            }
            return condition
        }
        return others + owned
    }
}
