import SkiffAPI

/// A node taint (`spec.taints[]`).
struct Taint: Sendable, Hashable {
    var key: String
    var value: String
    var effect: String

    init(key: String, value: String = "", effect: String) {
        self.key = key
        self.value = value
        self.effect = effect
    }

    init(json: JSONValue) {
        self.init(key: json["key"]?.stringValue ?? "", value: json["value"]?.stringValue ?? "", effect: json["effect"]?.stringValue ?? "")
    }

    /// `NoSchedule` or `NoExecute`: the effects that keep pods off the node.
    var forbidsScheduling: Bool { effect == "NoSchedule" || effect == "NoExecute" }

    /// The taint a cordoned node implies (`node.kubernetes.io/unschedulable:NoSchedule`).
    static let unschedulable = Taint(key: "node.kubernetes.io/unschedulable", effect: "NoSchedule")
}

/// A pod toleration (`spec.tolerations[]`).
struct Toleration: Sendable, Hashable {
    var key: String
    var `operator`: String
    var value: String
    var effect: String

    init(json: JSONValue) {
        key = json["key"]?.stringValue ?? ""
        `operator` = json["operator"]?.stringValue ?? ""
        value = json["value"]?.stringValue ?? ""
        effect = json["effect"]?.stringValue ?? ""
    }

    /// Whether this toleration tolerates `taint`, as upstream's `Toleration.ToleratesTaint`: an
    /// empty effect matches every effect, an empty key every key (with `Exists`), and `Equal`
    /// (the default operator) also compares values.
    func tolerates(_ taint: Taint) -> Bool {
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
    func tolerate(_ taint: Taint) -> Bool { contains { $0.tolerates(taint) } }
}
