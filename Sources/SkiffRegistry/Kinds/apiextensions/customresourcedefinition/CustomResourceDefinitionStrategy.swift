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

    public func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            spec.setDefault("names", .emptyObject)
            spec.editMember("names") { names in
                let kind = names.stringValue(at: "kind")
                if names.stringValue(at: "singular").isEmpty { names["singular"] = .string(kind.lowercased()) }
                if names.stringValue(at: "listKind").isEmpty && !kind.isEmpty { names["listKind"] = .string(kind + "List") }
            }
            spec.setDefault("conversion", ["strategy": "None"])
            spec.editMember("conversion") { conversion in
                conversion.editMember("webhook") { webhook in
                    webhook.editMember("clientConfig") { $0.editMember("service") { $0.setDefault("port", 443) } }
                }
            }
        }
    }

    public func validate(_ object: JSONValue) -> [FieldError] {
        let spec = object["spec"] ?? .emptyObject
        var errors: [FieldError] = []
        let group = spec.stringValue(at: "group")
        let plural = spec.stringValue(at: "names", "plural")
        let name = object.name ?? ""
        if name != "\(plural).\(group)" {
            errors.append(.invalid("metadata.name", .string(name), "must be spec.names.plural+\".\"+spec.group"))
        }
        if group.isEmpty {
            errors.append(.required("spec.group"))
        } else {
            errors += NameValidation.dns1123Subdomain(group).map { .invalid("spec.group", .string(group), $0) }
            if group.split(separator: ".").count < 2 {
                errors.append(.invalid("spec.group", .string(group), "should be a domain with at least one dot"))
            }
        }
        errors += FieldRules.supported(spec["scope"], field: "spec.scope", values: ["Cluster", "Namespaced"])
        for field in ["plural", "singular", "kind", "listKind"] where spec.stringValue(at: "names", field).isEmpty {
            errors.append(.required("spec.names.\(field)"))
        }
        let versions = spec.elements(at: "versions")
        if versions.isEmpty {
            errors.append(.invalid("spec.versions", .array([]), "must have exactly one version marked as storage version"))
        } else if versions.filter({ $0["storage"]?.boolValue == true }).count != 1 {
            errors.append(.invalid("spec.versions", .array(versions), "must have exactly one version marked as storage version"))
        }
        var versionNames = Set<String>()
        for (index, version) in versions.enumerated() {
            let versionName = version.stringValue(at: "name")
            if versionName.isEmpty {
                errors.append(.required("spec.versions[\(index)].name"))
            } else if !versionNames.insert(versionName).inserted {
                errors.append(.invalid("spec.versions", .array(versions), "must contain unique version names"))
            }
            if version[path: "schema", "openAPIV3Schema"] == nil {
                errors.append(.required("spec.versions[\(index)].schema.openAPIV3Schema", "schemas are required"))
            }
        }
        for (index, stored) in object.elements(at: "status", "storedVersions").enumerated()
        where !versions.contains(where: { $0["name"] == stored }) {
            errors.append(.invalid("status.storedVersions[\(index)]", stored, "must appear in spec.versions"))
        }
        return errors + CustomResourceDefinitionNamesValidation.errors(of: spec) + schemaChecks(object)
    }

    public func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        CustomResourceDefinitionNamesValidation.updateErrors(object, old: old)
    }

    public var tableColumns: [TableColumn] {
        [.name, TableColumn("Created At", type: "date", description: "Time since the object was created.")]
    }

    public func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), object[path: "metadata", "creationTimestamp"] ?? ""]
    }
}
