import SkiffAPI

extension BuiltinSchemas {
    /// The definition `name` with every `$ref` (or single-`$ref` `allOf`) under it replaced by the
    /// definition it names, as upstream's schema resolver populates references for CEL typing. A
    /// reference back to a definition already being inlined (a recursive type) becomes `{}`,
    /// which types as `dyn`. `definitions` looks definitions up by name; nil when it has no `name`.
    public static func inlined(_ name: String, in definitions: (String) -> JSONValue?) -> JSONValue? {
        guard let schema = definitions(name) else { return nil }
        return inline(schema, in: definitions, visiting: [name])
    }

    private static func inline(_ schema: JSONValue, in definitions: (String) -> JSONValue?, visiting: Set<String>) -> JSONValue {
        switch schema {
        case .object(var members):
            if let reference = members["$ref"]?.stringValue ?? members["allOf"]?.arrayValue?.first?["$ref"]?.stringValue,
               let slash = reference.lastIndex(of: "/") {
                let target = String(reference[reference.index(after: slash)...])
                guard !visiting.contains(target), let definition = definitions(target) else { return .emptyObject }
                return inline(definition, in: definitions, visiting: visiting.union([target]))
            }
            for key in ["properties", "patternProperties"] {
                if case .object(let properties)? = members[key] {
                    members[key] = .object(properties.mapValues { inline($0, in: definitions, visiting: visiting) })
                }
            }
            for key in ["items", "additionalProperties"] where members[key]?.objectValue != nil {
                members[key] = inline(members[key] ?? .emptyObject, in: definitions, visiting: visiting)
            }
            return .object(members)
        default:
            return schema
        }
    }
}
