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
        apply(to: &object, root)
    }

    private func apply(to value: inout JSONValue, _ schema: CustomResourceSchema) {
        switch value {
        case .object(var members):
            for (name, property) in schema.properties {
                guard let defaultValue = property.defaultValue else { continue }
                if members[name] == nil || (members[name]?.isNull == true && !property.nullable) {
                    members[name] = defaultValue
                }
            }
            for key in Array(members.keys) {
                guard let child = schema.properties[key] ?? schema.additionalProperties else { continue }
                apply(to: &members[key]!, child)
            }
            value = .object(members)
        case .array(var elements):
            guard let items = schema.items else { return }
            for index in elements.indices { apply(to: &elements[index], items) }
            value = .array(elements)
        default:
            return
        }
    }
}
