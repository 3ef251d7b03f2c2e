import SkiffAPI

/// CustomResourceDefinitions: names default from the kind, `status.storedVersions` gains every
/// storage version, and the checks users commonly hit — the name is `<plural>.<group>`, one
/// storage version, schemas present — plus the schema checks the serving module injects
/// (structural schemas, CEL rules). The first delete marks the CRD terminating and adds the
/// `customresourcecleanup.apiextensions.k8s.io` finalizer, which the CRD controller removes once
/// every custom object is gone (upstream's CRD REST `Delete`).
public struct CustomResourceDefinitionStrategy: ResourceStrategy {
    /// The finalizer that holds a deleted CRD until its objects are deleted.
    public static let cleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io"

    /// Checks of the versions' schemas (structure, CEL rules), given the whole CRD.
    let schemaChecks: @Sendable (JSONValue) -> [FieldError]

    /// A strategy whose CRDs' schemas are checked by `schemaChecks`.
    public init(schemaChecks: @escaping @Sendable (JSONValue) -> [FieldError] = { _ in [] }) {
        self.schemaChecks = schemaChecks
    }

    public var tracksGeneration: Bool { true }

    public func prepareForCreate(_ object: inout JSONValue) {
        object["status"] = ["acceptedNames": ["plural": "", "kind": ""], "storedVersions": []]
        Self.recordStorageVersion(&object)
    }

    public func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) {
        object["status"] = old["status"]
        Self.recordStorageVersion(&object)
    }

    /// Adds the storage version to `status.storedVersions` when it is not there yet.
    static func recordStorageVersion(_ object: inout JSONValue) {
        guard let storageVersion = object.elements(at: "spec", "versions").first(where: { $0["storage"]?.boolValue == true })?["name"]
        else { return }
        var stored = object.elements(at: "status", "storedVersions")
        if !stored.contains(storageVersion) { stored.append(storageVersion) }
        object[path: "status", "storedVersions"] = .array(stored)
    }

    public func deletionHeld(_ object: JSONValue) -> Bool { object.deletionTimestamp == nil }

    public func prepareForDeletion(_ object: inout JSONValue) {
        var finalizers = object.finalizers
        if !finalizers.contains(Self.cleanupFinalizer) { finalizers.append(Self.cleanupFinalizer) }
        object.finalizers = finalizers
        var conditions = object.elements(at: "status", "conditions").filter { $0["type"]?.stringValue != "Terminating" }
        conditions.append([
            "type": "Terminating", "status": "True", "reason": "InstanceDeletionPending",
            "message": "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon",
            "lastTransitionTime": .string(Timestamp.now().rfc3339),
        ])
        object[path: "status", "conditions"] = .array(conditions)
    }
}
