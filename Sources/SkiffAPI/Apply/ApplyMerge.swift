/// Merges an applied configuration into a live object, as server-side apply does: structures
/// and maps field by field, associative lists element by element (by key), sets by value, and
/// everything atomic replaced. A `null` in the configuration removes the field.
public enum ApplyMerge {
    public static func merge(_ config: JSONValue, into live: JSONValue?, schema: (any StructuralSchema)?) -> JSONValue {
        guard let live else { return config.withoutNulls }
        switch (config, live) {
        case (.object(let configured), .object(var result)):
            guard (schema?.shape ?? .granular) == .granular else { return config }
            for (name, value) in configured {
                if value.isNull {
                    result[name] = nil
                    continue
                }
                let childSchema = schema?.property(name) ?? schema?.mapValues
                result[name] = merge(value, into: result[name], schema: childSchema)
            }
            return .object(result)
        case (.array(let configured), .array(var result)):
            switch schema?.shape ?? .atomicList {
            case .set:
                for element in configured where !result.contains(element) { result.append(element) }
                return .array(result)
            case .map(let keys):
                var positions: [String: Int] = [:]
                for (position, element) in result.enumerated() {
                    positions[FieldPath.element(element, keys: keys, index: -1, schema: schema?.elements)] = position
                }
                for (index, element) in configured.enumerated() {
                    let key = FieldPath.element(element, keys: keys, index: index, schema: schema?.elements)
                    if key.hasPrefix("k:"), let position = positions[key] {
                        result[position] = merge(element, into: result[position], schema: schema?.elements)
                    } else {
                        positions[key] = result.count
                        result.append(element.withoutNulls)
                    }
                }
                return .array(result)
            default:
                return config
            }
        default:
            return config.withoutNulls
        }
    }
}

extension JSONValue {
    /// This value with `null` object members removed, recursively.
    var withoutNulls: JSONValue {
        switch self {
        case .object(let members): return .object(members.compactMapValues { $0.isNull ? nil : $0.withoutNulls })
        case .array(let elements): return .array(elements.map(\.withoutNulls))
        default: return self
        }
    }
}
