import SkiffAPI

/// A node taint (`spec.taints[]`), as the scheduler and the controllers that place or evict pods judge it.
public struct Taint: Sendable, Hashable {
    public var key: String
    public var value: String
    public var effect: String

    public init(key: String, value: String = "", effect: String) {
        self.key = key
        self.value = value
        self.effect = effect
    }

    public init(json: JSONValue) {
        self.init(key: json["key"]?.stringValue ?? "", value: json["value"]?.stringValue ?? "", effect: json["effect"]?.stringValue ?? "")
    }

    /// `NoSchedule` or `NoExecute`: the effects that keep pods off the node.
    public var forbidsScheduling: Bool { effect == "NoSchedule" || effect == "NoExecute" }

    /// The taint a cordoned node implies (`node.kubernetes.io/unschedulable:NoSchedule`).
    public static let unschedulable = Taint(key: "node.kubernetes.io/unschedulable", effect: "NoSchedule")
}

/// A pod toleration (`spec.tolerations[]`).
public struct Toleration: Sendable, Hashable {
    public var key: String
    public var `operator`: String
    public var value: String
    public var effect: String

    public init(json: JSONValue) {
        key = json["key"]?.stringValue ?? ""
        `operator` = json["operator"]?.stringValue ?? ""
        value = json["value"]?.stringValue ?? ""
        effect = json["effect"]?.stringValue ?? ""
    }

    /// Whether this toleration tolerates `taint`, as upstream's `Toleration.ToleratesTaint`: an
    /// empty effect matches every effect, an empty key every key (with `Exists`), and `Equal`
    /// (the default operator) also compares values.
    public func tolerates(_ taint: Taint) -> Bool {
        if !effect.isEmpty && effect != taint.effect { return false }
        if !key.isEmpty && key != taint.key { return false }
        switch `operator` {
        case "", "Equal": return value == taint.value
        case "Exists": return true
        default: return false
        }
    }
}

extension Array where Element == Toleration {
    /// Whether some toleration tolerates `taint`.
    public func tolerate(_ taint: Taint) -> Bool { contains { $0.tolerates(taint) } }
}
