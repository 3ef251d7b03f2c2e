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

    func applyDefaults(to object: inout JSONValue) {
        if let name = object.name, !name.isEmpty { object[path: "metadata", "labels", "kubernetes.io/metadata.name"] = .string(name) }
        object.setDefault("spec", .emptyObject)
        object.setDefault("status", .emptyObject)
        object.editMember("status") { $0.setDefault("phase", "Active") }
    }

    /// Finalizers are qualified names; unqualified ones must be standard (`kubernetes`, …).
    func validate(_ object: JSONValue) -> [FieldError] {
        object.elements(at: "spec", "finalizers").flatMap { finalizer -> [FieldError] in
            let name = finalizer.stringValue ?? ""
            var errors = LabelSelector.validateKey(name).map { FieldError.invalid("spec.finalizers", finalizer, $0) }
            if errors.isEmpty && !name.contains("/") && ![Finalizers.orphan, Finalizers.foregroundDeletion, "kubernetes"].contains(name) {
                errors.append(.invalid("spec.finalizers", finalizer, "name is neither a standard finalizer name nor is it fully qualified"))
            }
            return errors
        }
    }

    func prepareForDeletion(_ object: inout JSONValue) {
        object[path: "status", "phase"] = "Terminating"
    }

    func deletionHeld(_ object: JSONValue) -> Bool {
        !object.elements(at: "spec", "finalizers").isEmpty
    }

    var tableColumns: [TableColumn] { [.name, TableColumn("Status", description: "The status of the namespace"), .age] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .string(object.stringValue(at: "status", "phase")), .string(Age.since(object, now: now))]
    }
}
