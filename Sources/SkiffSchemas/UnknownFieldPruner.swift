import SkiffAPI

/// Removes the fields a kind's schema does not define, as upstream's decoding into typed objects
/// does, and reports their paths (`spec.template.spec.containers[0].imagee`) for field
/// validation. Maps (`additionalProperties`), embedded raw JSON and
/// `x-kubernetes-preserve-unknown-fields` keep whatever they hold.
public struct UnknownFieldPruner: Sendable {
    let definitions: [String: JSONValue]
    let root: JSONValue

    /// A pruner for a definition (e.g. `io.k8s.api.apps.v1.Deployment`); nil when unknown.
    public init?(definition name: String, definitions: [String: JSONValue] = BuiltinSchemas.definitions) {
        guard let root = definitions[name] else { return nil }
        self.definitions = definitions
        self.root = root
    }

    /// The object without unknown fields, and the unknown fields' paths in document order.
    public func prune(_ object: JSONValue) -> (object: JSONValue, unknownFields: [String]) {
        var unknown: [String] = []
        let pruned = prune(object, schema: root, path: "", unknown: &unknown)
        return (pruned, unknown)
    }

    private func prune(_ value: JSONValue, schema: JSONValue, path: String, unknown: inout [String]) -> JSONValue {
        let schema = BuiltinSchemas.resolve(schema, in: definitions)
        switch value {
        case .object(let members):
            if schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true { return value }
            if let properties = schema["properties"]?.objectValue {
                var kept: [String: JSONValue] = [:]
                for key in members.keys.sorted() {
                    let member = members[key]!
                    let childPath = path.isEmpty ? key : "\(path).\(key)"
                    guard let property = properties[key] else {
                        unknown.append(childPath)
                        continue
                    }
                    kept[key] = prune(member, schema: property, path: childPath, unknown: &unknown)
                }
                return .object(kept)
            }
            if let valueSchema = schema["additionalProperties"], valueSchema.objectValue != nil {
                var kept: [String: JSONValue] = [:]
                for (key, member) in members {
                    kept[key] = prune(member, schema: valueSchema, path: "\(path)[\(key)]", unknown: &unknown)
                }
                return .object(kept)
            }
            return value
        case .array(let elements):
            guard let items = schema["items"] else { return value }
            return .array(elements.enumerated().map { index, element in
                prune(element, schema: items, path: "\(path)[\(index)]", unknown: &unknown)
            })
        default:
            return value
        }
    }
}
