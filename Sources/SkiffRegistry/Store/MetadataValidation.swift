import SkiffAPI

/// Validation of `metadata` common to every kind (upstream's `ValidateObjectMeta`).
enum MetadataValidation {
    static func validate(_ object: JSONValue, info: ResourceInfo, strategy: any ResourceStrategy) -> [FieldError] {
        var errors: [FieldError] = []
        let name = object.name ?? ""
        if name.isEmpty {
            errors.append(.required("metadata.name", "name or generateName is required"))
        } else {
            for problem in NameValidation.problems(name, rule: strategy.nameRule) {
                errors.append(.invalid("metadata.name", .string(name), problem))
            }
        }
        if info.namespaced {
            let namespace = object.namespace ?? ""
            if namespace.isEmpty {
                errors.append(.required("metadata.namespace"))
            } else {
                for problem in NameValidation.dns1123Label(namespace) {
                    errors.append(.invalid("metadata.namespace", .string(namespace), problem))
                }
            }
        }
        errors += validateStringMap(object[path: "metadata", "labels"], field: "metadata.labels", values: true)
        errors += validateStringMap(object[path: "metadata", "annotations"], field: "metadata.annotations", values: false)
        if let finalizers = object[path: "metadata", "finalizers"], finalizers.arrayValue?.allSatisfy({ $0.stringValue != nil }) != true {
            errors.append(.typeInvalid("metadata.finalizers", finalizers, "must be a list of strings"))
        }
        for (index, reference) in object.ownerReferences.enumerated() {
            for field in ["apiVersion", "kind", "name", "uid"] where (reference[field]?.stringValue ?? "").isEmpty {
                errors.append(.required("metadata.ownerReferences[\(index)].\(field)"))
            }
        }
        let controllers = object.ownerReferences.filter { $0["controller"]?.boolValue == true }
        if controllers.count > 1 {
            errors.append(.invalid("metadata.ownerReferences", .array(controllers), "Only one reference can have Controller set to true"))
        }
        return errors
    }

    /// Labels: qualified-name keys and label values; annotations: qualified-name keys, any string values.
    private static func validateStringMap(_ value: JSONValue?, field: String, values: Bool) -> [FieldError] {
        guard let value else { return [] }
        guard let members = value.objectValue else {
            return [.typeInvalid(field, value, "must be a map of strings")]
        }
        var errors: [FieldError] = []
        for (key, member) in members.sorted(by: { $0.key < $1.key }) {
            for problem in LabelSelector.validateKey(key) {
                errors.append(.invalid(field, .string(key), problem))
            }
            guard let text = member.stringValue else {
                errors.append(.typeInvalid("\(field)[\(key)]", member, "must be a string"))
                continue
            }
            if values {
                for problem in LabelSelector.validateValue(text) {
                    errors.append(.invalid("\(field)", .string(text), problem))
                }
            }
        }
        return errors
    }
}
