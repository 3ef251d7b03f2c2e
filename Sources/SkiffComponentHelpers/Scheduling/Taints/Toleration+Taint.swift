import SkiffModels

extension CoreV1.Toleration {
    /// Whether this toleration tolerates `taint` (upstream's `Toleration.ToleratesTaint`): an
    /// empty effect matches every effect, an empty key every key, and `Equal` (the default
    /// operator) also compares values (an absent value is the empty one).
    public func tolerates(_ taint: CoreV1.Taint) -> Bool {
        if let effect, !effect.isEmpty, effect != taint.effect { return false }
        if let key, !key.isEmpty, key != taint.key { return false }
        switch `operator` ?? "" {
        case "", "Equal": return (value ?? "") == (taint.value ?? "")
        case "Exists": return true
        default: return false
        }
    }
}

extension Array where Element == CoreV1.Toleration {
    /// Whether some toleration tolerates `taint` (upstream's `TolerationsTolerateTaint`).
    public func tolerate(_ taint: CoreV1.Taint) -> Bool { contains { $0.tolerates(taint) } }
}

extension CoreV1.Taint {
    /// `NoSchedule` or `NoExecute`: the effects that keep pods off the node.
    public var forbidsScheduling: Bool { effect == Effect.noSchedule || effect == Effect.noExecute }

    /// The taint effects.
    public enum Effect {
        /// New pods that do not tolerate the taint are not scheduled.
        public static let noSchedule = "NoSchedule"
        /// The scheduler avoids the node for pods that do not tolerate the taint.
        public static let preferNoSchedule = "PreferNoSchedule"
        /// Pods that do not tolerate the taint are evicted.
        public static let noExecute = "NoExecute"
    }

    /// The well-known taint keys (upstream's `well_known_taints.go`).
    public enum Key {
        /// The node's Ready condition is False.
        public static let notReady = "node.kubernetes.io/not-ready"
        /// The node's Ready condition is Unknown.
        public static let unreachable = "node.kubernetes.io/unreachable"
        /// The node is cordoned (`spec.unschedulable`).
        public static let unschedulable = "node.kubernetes.io/unschedulable"
        /// The node reports memory pressure.
        public static let memoryPressure = "node.kubernetes.io/memory-pressure"
        /// The node reports disk pressure.
        public static let diskPressure = "node.kubernetes.io/disk-pressure"
        /// The node's network is unavailable.
        public static let networkUnavailable = "node.kubernetes.io/network-unavailable"
        /// The node reports PID pressure.
        public static let pidPressure = "node.kubernetes.io/pid-pressure"
    }

    /// The taint a cordoned node implies (`node.kubernetes.io/unschedulable:NoSchedule`).
    public static let unschedulable = CoreV1.Taint(effect: Effect.noSchedule, key: Key.unschedulable)
}
