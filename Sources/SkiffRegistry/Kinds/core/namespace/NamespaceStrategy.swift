import SkiffAPI

/// Namespaces: born `Active` with the `kubernetes` finalizer in `spec.finalizers` and labelled
/// with their name; a delete moves them to `Terminating` and they stay until the namespace
/// controller empties them and clears the finalizer through the `finalize` subresource.
struct NamespaceStrategy: ResourceStrategy {
    var nameRule: NameValidation.Rule { .dns1123Label }

    var selectableFields: [String] { ["status.phase"] }

    var returnsDeletedObject: Bool { true }

    func fieldValues(of object: JSONValue) -> [String: String] {
        ["status.phase": object.stringValue(at: "status", "phase")]
    }

    func prepareForCreate(_ object: inout JSONValue) {
        object["status"] = ["phase": "Active"]
        var finalizers = object.elements(at: "spec", "finalizers")
        if !finalizers.contains("kubernetes") { finalizers.append("kubernetes") }
        object[path: "spec", "finalizers"] = .array(finalizers)
    }

    /// The main resource changes neither `spec.finalizers` (the finalize subresource does) nor the status.
    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) {
        object["spec"] = old["spec"]
        object["status"] = old["status"]
    }

    func prepareForDeletion(_ object: inout JSONValue) {
        object[path: "status", "phase"] = "Terminating"
    }

    func deletionHeld(_ object: JSONValue) -> Bool {
        !object.elements(at: "spec", "finalizers").isEmpty
    }
}
