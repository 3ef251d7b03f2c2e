import SkiffAPI

/// Nodes: cluster-scoped, status written by kubelets (kept on updates of the main resource),
/// `spec.unschedulable` selectable, kubectl's STATUS/ROLES/VERSION columns.
struct NodeStrategy: ResourceStrategy {
    var selectableFields: [String] { ["spec.unschedulable"] }

    func fieldValues(of object: JSONValue) -> [String: String] {
        ["spec.unschedulable": String(object[path: "spec", "unschedulable"]?.boolValue ?? false)]
    }

    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) {
        object["status"] = old["status"]
    }
}
