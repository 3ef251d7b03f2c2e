import SkiffAPI

/// The OpenAPI definitions of every built-in kind (generated from upstream's document, without
/// descriptions), parsed on first use.
public enum BuiltinSchemas {
    /// Definition name (e.g. `io.k8s.api.core.v1.ConfigMap`) → schema.
    public static let definitions: [String: JSONValue] = {
        guard let parsed = try? JSONValue(parsing: generatedDefinitions), let members = parsed.objectValue else {
            preconditionFailure("the generated OpenAPI definitions do not parse")
        }
        return members
    }()

    /// The schema a `$ref` (or a single-element `allOf` of one) points to, followed to the end.
    public static func resolve(_ schema: JSONValue, in definitions: [String: JSONValue]) -> JSONValue {
        var current = schema
        for _ in 0..<8 {
            guard let reference = current["$ref"]?.stringValue ?? current["allOf"]?.arrayValue?.first?["$ref"]?.stringValue,
                  let slash = reference.lastIndex(of: "/"),
                  let target = definitions[String(reference[reference.index(after: slash)...])]
            else { break }
            current = target
        }
        return current
    }

    /// The definition names a schema refers to, directly or not (including itself).
    public static func closure(of names: [String], in definitions: [String: JSONValue]) -> Set<String> {
        var seen = Set<String>()
        var pending = names
        while let name = pending.popLast() {
            guard seen.insert(name).inserted, let schema = definitions[name] else { continue }
            collectReferences(schema) { pending.append($0) }
        }
        return seen
    }

    private static func collectReferences(_ value: JSONValue, _ found: (String) -> Void) {
        switch value {
        case .object(let members):
            for (key, member) in members {
                if key == "$ref", let reference = member.stringValue, let slash = reference.lastIndex(of: "/") {
                    found(String(reference[reference.index(after: slash)...]))
                } else {
                    collectReferences(member, found)
                }
            }
        case .array(let elements):
            for element in elements { collectReferences(element, found) }
        default:
            break
        }
    }
}
