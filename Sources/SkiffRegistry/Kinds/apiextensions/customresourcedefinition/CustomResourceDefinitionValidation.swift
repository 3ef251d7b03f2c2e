import SkiffAPI

extension CustomResourceDefinitionStrategy {
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
}
