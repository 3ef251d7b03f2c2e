import SkiffAPI

/// Applies a structural schema's `default`s (upstream's structural defaulting): a missing field,
/// or a `null` one that is not `nullable`, gets its default, then defaulting goes on inside it.
public struct SchemaDefaulter: Sendable {
    let root: CustomResourceSchema

    public init(root: CustomResourceSchema) {
        self.root = root
    }

    /// Fills in the defaults of `object` in place.
    public func apply(to object: inout JSONValue) {
        if let defaulted = defaulted(object, root) { object = defaulted }
    }

    /// `value` with its defaults, or nil when it gets none (then nothing is copied); a node with
    /// no default below it is not walked.
    private func defaulted(_ value: JSONValue, _ schema: CustomResourceSchema) -> JSONValue? {
        guard schema.hasDefaultsBelow else { return nil }
        switch value {
        case .object(let original):
            var members: [String: JSONValue]?
            for (name, property) in schema.properties {
                guard let defaultValue = property.defaultValue else { continue }
                if original[name] == nil || (original[name]?.isNull == true && !property.nullable) {
                    if members == nil { members = original }
                    members?[name] = defaultValue
                }
            }
            // Defaulting goes on inside the members, defaults included.
            var changes: [(key: String, value: JSONValue)] = []
            for (key, member) in members ?? original {
                guard let child = schema.properties[key] ?? schema.additionalProperties, let changed = defaulted(member, child) else { continue }
                changes.append((key, changed))
            }
            guard members != nil || !changes.isEmpty else { return nil }
            var result = members ?? original
            for change in changes { result[change.key] = change.value }
            return .object(result)
        case .array(let elements):
            guard let items = schema.items else { return nil }
            var result: [JSONValue]?
            for (index, element) in elements.enumerated() {
                guard let changed = defaulted(element, items) else { continue }
                if result == nil { result = elements }
                result?[index] = changed
            }
            return result.map(JSONValue.array)
        default:
            return nil
        }
    }
}
