import SkiffAPI

/// CustomResourceDefinitions (stored; serving custom resources comes later): names default from
/// the kind, the status starts with the storage version, and the checks users commonly hit —
/// the name is `<plural>.<group>`, one storage version, schemas present.
struct CustomResourceDefinitionStrategy: ResourceStrategy {
    var tracksGeneration: Bool { true }

    func prepareForCreate(_ object: inout JSONValue) {
        let storageVersion = object.elements(at: "spec", "versions").first { $0["storage"]?.boolValue == true }?["name"]
        object["status"] = ["acceptedNames": ["plural": "", "kind": ""], "storedVersions": .array(storageVersion.map { [$0] } ?? [])]
    }

    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) { object["status"] = old["status"] }

    func applyDefaults(to object: inout JSONValue) {
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

    func validate(_ object: JSONValue) -> [FieldError] {
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
        return errors
    }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Created At", type: "date", description: "Time since the object was created.")]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), object[path: "metadata", "creationTimestamp"] ?? ""]
    }
}
