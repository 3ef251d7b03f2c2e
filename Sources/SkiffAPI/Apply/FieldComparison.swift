/// How two values of one type differ, field by field: what the second adds, removes and changes,
/// walking both at once as upstream's typed comparison does.
public struct FieldComparison: Sendable, Equatable {
    public var added = FieldSet()
    public var removed = FieldSet()
    public var modified = FieldSet()

    public init() {}

    /// Compares `old` with `new`. With `markingMaps`, added and removed map-typed fields are
    /// members themselves (see `FieldSet.init(of:schema:markingMaps:)`).
    public init(from old: JSONValue, to new: JSONValue, schema: (any StructuralSchema)?, markingMaps: Bool = false) {
        self = Self.compare(old, new, schema, markingMaps)
    }

    private static func compare(_ old: JSONValue, _ new: JSONValue, _ schema: (any StructuralSchema)?, _ marking: Bool) -> FieldComparison {
        var result = FieldComparison()
        switch (old, new) {
        case (.object(let before), .object(let after)) where (schema?.shape ?? .granular) == .granular:
            // A `null` member is no field at all, as in upstream's typed objects.
            let before = before.filter { !$0.value.isNull }
            let after = after.filter { !$0.value.isNull }
            for (name, value) in after {
                let key = FieldPath.field(name)
                if let previous = before[name] {
                    let childSchema = schema?.property(name) ?? schema?.mapValues
                    result.attach(compare(previous, value, childSchema, marking), at: key)
                } else {
                    result.added.children[key] = FieldSet.member(name, value, of: schema, marking)
                }
            }
            for (name, value) in before where after[name] == nil {
                result.removed.children[FieldPath.field(name)] = FieldSet.member(name, value, of: schema, marking)
            }
        case (.array(let before), .array(let after)):
            switch schema?.shape ?? .atomicList {
            case .set:
                for value in after where !before.contains(value) { result.added.children[FieldPath.value(value)] = FieldSet(isMember: true) }
                for value in before where !after.contains(value) { result.removed.children[FieldPath.value(value)] = FieldSet(isMember: true) }
            case .map(let keys):
                var previous: [String: JSONValue] = [:]
                for (index, element) in before.enumerated() { previous[FieldPath.element(element, keys: keys, index: index, schema: schema?.elements)] = element }
                var seen = Set<String>()
                for (index, element) in after.enumerated() {
                    let key = FieldPath.element(element, keys: keys, index: index, schema: schema?.elements)
                    seen.insert(key)
                    if let old = previous[key] {
                        result.attach(compare(old, element, schema?.elements, marking), at: key)
                    } else {
                        result.added.children[key] = FieldSet.element(element, of: schema, marking)
                    }
                }
                for (key, element) in previous where !seen.contains(key) {
                    result.removed.children[key] = FieldSet.element(element, of: schema, marking)
                }
            default:
                if old != new { result.modified.isMember = true }
            }
        default:
            if old != new { result.modified.isMember = true }
        }
        return result
    }

    private mutating func attach(_ child: FieldComparison, at key: String) {
        if !child.added.isEmpty { added.children[key] = child.added }
        if !child.removed.isEmpty { removed.children[key] = child.removed }
        if !child.modified.isEmpty { modified.children[key] = child.modified }
    }
}
