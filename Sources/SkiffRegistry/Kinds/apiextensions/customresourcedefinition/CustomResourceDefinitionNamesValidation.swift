import SkiffAPI

/// Upstream's checks of a CRD's names and version names: plural, singular, short names,
/// categories and version names are DNS-1035 labels; kind and listKind may have mixed case but
/// must otherwise be labels, and differ; an established CRD keeps its scope.
enum CustomResourceDefinitionNamesValidation {
    static func errors(of spec: JSONValue) -> [FieldError] {
        let names = spec["names"] ?? .emptyObject
        var errors: [FieldError] = []
        for field in ["plural", "singular"] {
            let value = names.stringValue(at: field)
            guard !value.isEmpty else { continue }
            errors += label(value, field: "spec.names.\(field)")
        }
        for field in ["kind", "listKind"] {
            let value = names.stringValue(at: field)
            guard !value.isEmpty else { continue }
            let problems = NameValidation.dns1035Label(value.lowercased())
            if !problems.isEmpty {
                errors.append(.invalid("spec.names.\(field)", .string(value),
                                       "may have mixed case, but should otherwise match: " + problems.joined(separator: ",")))
            }
        }
        let kind = names.stringValue(at: "kind")
        if !kind.isEmpty, kind == names.stringValue(at: "listKind") {
            errors.append(.invalid("spec.names.listKind", .string(kind), "kind and listKind may not be the same"))
        }
        for field in ["shortNames", "categories"] {
            for (index, value) in names.elements(at: field).enumerated() {
                errors += label(value.stringValue ?? "", field: "spec.names.\(field)[\(index)]")
            }
        }
        for (index, version) in spec.elements(at: "versions").enumerated() {
            let name = version.stringValue(at: "name")
            guard !name.isEmpty else { continue }
            errors += label(name, field: "spec.versions[\(index)].name")
        }
        return errors
    }

    /// An established CRD's scope cannot change.
    static func updateErrors(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        let established = old.elements(at: "status", "conditions").contains {
            $0["type"]?.stringValue == "Established" && $0["status"]?.stringValue == "True"
        }
        guard established, let scope = object[path: "spec", "scope"], scope != old[path: "spec", "scope"] else { return [] }
        return [.invalid("spec.scope", scope, "field is immutable")]
    }

    private static func label(_ value: String, field: String) -> [FieldError] {
        let problems = NameValidation.dns1035Label(value)
        return problems.isEmpty ? [] : [.invalid(field, .string(value), problems.joined(separator: ","))]
    }
}
