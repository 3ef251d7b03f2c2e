import SkiffAPI

/// Namespaces: born `Active` with the `kubernetes` finalizer in `spec.finalizers`; a delete moves
/// them to `Terminating` and they stay until the namespace controller empties them and clears
/// the finalizer through the `finalize` subresource.
struct NamespaceStrategy: ResourceStrategy {
    var nameRule: NameValidation.Rule { .dns1123Label }
    var selectableFields: [String] { ["status.phase"] }

    func fieldValues(of object: JSONValue) -> [String: String] {
        ["status.phase": object[path: "status", "phase"]?.stringValue ?? ""]
    }

    func prepareForCreate(_ object: inout JSONValue) {
        object["status"] = ["phase": "Active"]
        var finalizers = object[path: "spec", "finalizers"]?.arrayValue ?? []
        if !finalizers.contains("kubernetes") { finalizers.append("kubernetes") }
        object[path: "spec", "finalizers"] = .array(finalizers)
    }

    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) {
        object["spec"] = old["spec"]
        object["status"] = old["status"]
    }

    func applyDefaults(to object: inout JSONValue) {
        var labels = object.labels
        if let name = object.name, labels["kubernetes.io/metadata.name"] != name {
            labels["kubernetes.io/metadata.name"] = name
            object.labels = labels
        }
    }

    func prepareForDeletion(_ object: inout JSONValue) {
        object[path: "status", "phase"] = "Terminating"
    }

    func deletionHeld(_ object: JSONValue) -> Bool {
        !(object[path: "spec", "finalizers"]?.arrayValue ?? []).isEmpty
    }

    var returnsDeletedObject: Bool { true }

    var tableColumns: [TableColumn] { [.name, TableColumn("Status"), .age] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), object[path: "status", "phase"] ?? "", .string(Age.since(object, now: now))]
    }
}
