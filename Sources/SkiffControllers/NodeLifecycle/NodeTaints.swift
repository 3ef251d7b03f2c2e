import SkiffAPI
import SkiffComponentHelpers
import SkiffModels

/// The taints the node lifecycle controller manages, derived from a node's conditions and
/// `spec.unschedulable` (upstream's `TaintNodeByCondition` and NoExecute tainting passes).
enum NodeTaints {
    static let notReady = CoreV1.Taint.Key.notReady
    static let unreachable = CoreV1.Taint.Key.unreachable
    static let unschedulable = CoreV1.Taint.Key.unschedulable

    /// A taint's identity: key and effect.
    struct Identity: Hashable, Sendable {
        var key: String
        var effect: String
    }

    /// NoSchedule taint keys by condition type and status.
    private static let noScheduleByCondition: [String: [String: String]] = [
        "Ready": ["False": notReady, "Unknown": unreachable],
        "MemoryPressure": ["True": CoreV1.Taint.Key.memoryPressure],
        "DiskPressure": ["True": CoreV1.Taint.Key.diskPressure],
        "NetworkUnavailable": ["True": CoreV1.Taint.Key.networkUnavailable],
        "PIDPressure": ["True": CoreV1.Taint.Key.pidPressure],
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
    static func desired(for node: CoreV1.Node) -> Set<Identity> {
        var taints = Set<Identity>()
        for condition in node.status?.conditions ?? [] {
            guard let key = noScheduleByCondition[condition.type]?[condition.status] else { continue }
            taints.insert(Identity(key: key, effect: "NoSchedule"))
            if condition.type == "Ready" { taints.insert(Identity(key: key, effect: "NoExecute")) }
        }
        if node.spec?.unschedulable == true { taints.insert(Identity(key: unschedulable, effect: "NoSchedule")) }
        return taints
    }

    /// The node's taints with the managed ones brought in line with `desired(for:)`; nil when
    /// nothing changes. Taints that stay keep their `timeAdded`; new NoExecute taints get `now`.
    static func reconciled(_ node: CoreV1.Node, now: Timestamp) -> [CoreV1.Taint]? {
        let current = node.spec?.taints ?? []
        let wanted = desired(for: node)
        var taints = current.filter { taint in
            let identity = Identity(key: taint.key, effect: taint.effect)
            return !managed.contains(identity) || wanted.contains(identity)
        }
        let present = Set(taints.map { Identity(key: $0.key, effect: $0.effect) })
        for identity in wanted.subtracting(present).sorted(by: { ($0.key, $0.effect) < ($1.key, $1.effect) }) {
            taints.append(CoreV1.Taint(effect: identity.effect, key: identity.key, timeAdded: identity.effect == "NoExecute" ? now : nil))
        }
        return taints == current ? nil : taints
    }
}
