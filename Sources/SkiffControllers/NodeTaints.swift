import SkiffAPI

/// The taints the node lifecycle controller manages, derived from a node's conditions and
/// `spec.unschedulable` (upstream's `TaintNodeByCondition` and NoExecute tainting passes).
enum NodeTaints {
    static let notReady = "node.kubernetes.io/not-ready"
    static let unreachable = "node.kubernetes.io/unreachable"
    static let unschedulable = "node.kubernetes.io/unschedulable"

    /// A taint's identity: key and effect.
    struct Identity: Hashable, Sendable {
        var key: String
        var effect: String
    }

    /// NoSchedule taint keys by condition type and status.
    private static let noScheduleByCondition: [String: [String: String]] = [
        "Ready": ["False": notReady, "Unknown": unreachable],
        "MemoryPressure": ["True": "node.kubernetes.io/memory-pressure"],
        "DiskPressure": ["True": "node.kubernetes.io/disk-pressure"],
        "NetworkUnavailable": ["True": "node.kubernetes.io/network-unavailable"],
        "PIDPressure": ["True": "node.kubernetes.io/pid-pressure"],
    ]

    /// Every taint this controller may add or remove.
    static let managed: Set<Identity> = {
        var taints = Set(noScheduleByCondition.values.flatMap(\.values).map { Identity(key: $0, effect: "NoSchedule") })
        taints.insert(Identity(key: unschedulable, effect: "NoSchedule"))
        taints.insert(Identity(key: notReady, effect: "NoExecute"))
        taints.insert(Identity(key: unreachable, effect: "NoExecute"))
        return taints
    }()

    /// The managed taints the node should carry now.
    static func desired(for node: JSONValue) -> Set<Identity> {
        var taints = Set<Identity>()
        for condition in node[path: "status", "conditions"]?.arrayValue ?? [] {
            guard let type = condition["type"]?.stringValue, let status = condition["status"]?.stringValue,
                let key = noScheduleByCondition[type]?[status]
            else { continue }
            taints.insert(Identity(key: key, effect: "NoSchedule"))
            if type == "Ready" { taints.insert(Identity(key: key, effect: "NoExecute")) }
        }
        if node[path: "spec", "unschedulable"]?.boolValue == true { taints.insert(Identity(key: unschedulable, effect: "NoSchedule")) }
        return taints
    }

    /// The node's taints with the managed ones brought in line with `desired(for:)`; nil when
    /// nothing changes. Taints that stay keep their `timeAdded`; new NoExecute taints get `now`.
    static func reconciled(_ node: JSONValue, now: Timestamp) -> [JSONValue]? {
        let current = node[path: "spec", "taints"]?.arrayValue ?? []
        let wanted = desired(for: node)
        var taints = current.filter { taint in
            let identity = Identity(key: taint["key"]?.stringValue ?? "", effect: taint["effect"]?.stringValue ?? "")
            return !managed.contains(identity) || wanted.contains(identity)
        }
        let present = Set(taints.map { Identity(key: $0["key"]?.stringValue ?? "", effect: $0["effect"]?.stringValue ?? "") })
        for identity in wanted.subtracting(present).sorted(by: { ($0.key, $0.effect) < ($1.key, $1.effect) }) {
            var taint: JSONValue = ["key": .string(identity.key), "effect": .string(identity.effect)]
            if identity.effect == "NoExecute" { taint["timeAdded"] = .string(now.rfc3339) }
            taints.append(taint)
        }
        return taints == current ? nil : taints
    }
}

/// Whether a pod's tolerations let it stay on a node's NoExecute taints, and for how long
/// (upstream's taint eviction controller).
enum TaintToleration {
    /// What a pod may do on a node.
    enum Verdict: Equatable, Sendable {
        /// No NoExecute taint, or every one tolerated forever.
        case stay
        /// Every NoExecute taint tolerated, the shortest for this many seconds.
        case stayFor(seconds: Int64)
        /// Some NoExecute taint is not tolerated.
        case evict
    }

    /// Upstream's `ToleratesTaint`: the effect and key match when given; `Exists` matches any
    /// value, `Equal` (or no operator) the same value.
    static func tolerates(_ toleration: JSONValue, _ taint: JSONValue) -> Bool {
        let effect = toleration["effect"]?.stringValue ?? ""
        if !effect.isEmpty && effect != taint["effect"]?.stringValue { return false }
        let key = toleration["key"]?.stringValue ?? ""
        if !key.isEmpty && key != taint["key"]?.stringValue { return false }
        switch toleration["operator"]?.stringValue ?? "" {
        case "", "Equal": return (toleration["value"]?.stringValue ?? "") == (taint["value"]?.stringValue ?? "")
        case "Exists": return true
        default: return false
        }
    }

    /// The verdict for a pod with `tolerations` on a node with `taints`.
    static func verdict(tolerations: [JSONValue], taints: [JSONValue]) -> Verdict {
        let noExecute = taints.filter { $0["effect"]?.stringValue == "NoExecute" }
        guard !noExecute.isEmpty else { return .stay }
        var used: [JSONValue] = []
        for taint in noExecute {
            // Upstream counts the first toleration matching each taint.
            guard let matching = tolerations.first(where: { tolerates($0, taint) }) else { return .evict }
            used.append(matching)
        }
        let limits = used.compactMap { $0["tolerationSeconds"]?.intValue }
        guard let shortest = limits.min() else { return .stay }
        return shortest <= 0 ? .evict : .stayFor(seconds: shortest)
    }
}
