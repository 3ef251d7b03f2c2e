/// Strategic merge patch (`application/strategic-merge-patch+json`), as upstream applies it to
/// built-in kinds: maps merge key by key (`null` deletes); lists whose field has the `merge`
/// strategy merge by their merge key (objects) or as sets (primitives); other lists are replaced.
/// Directives: `$patch: replace|delete|merge`, `$retainKeys`, `$deleteFromPrimitiveList/<field>`,
/// `$setElementOrder/<field>`.
public enum StrategicMergePatch {
    /// A patch that cannot be applied.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    static let deleteFromPrimitiveList = "$deleteFromPrimitiveList/"
    static let setElementOrder = "$setElementOrder/"

    /// Applies `patch` to `original` under `schema`.
    public static func apply(_ patch: JSONValue, to original: JSONValue, schema: (any PatchSchema)?) throws(Failure) -> JSONValue {
        guard case .object(let members) = patch else { throw Failure(message: "the patch must be a JSON object") }
        return try mergeMap(members, into: original.objectValue ?? [:], schema: schema).map(JSONValue.object) ?? .emptyObject
    }

    /// Merges a patch map into an original map; nil means the whole map is deleted.
    private static func mergeMap(_ patch: [String: JSONValue], into original: [String: JSONValue],
                                 schema: (any PatchSchema)?) throws(Failure) -> [String: JSONValue]? {
        var patch = patch
        switch patch.removeValue(forKey: "$patch")?.stringValue {
        case "replace"?: return try strippingDirectives(patch)
        case "delete"?: return nil
        case "merge"?, nil: break
        case let other?: throw Failure(message: "unknown patch type: \(other) in map")
        }
        let retainKeys = patch.removeValue(forKey: "$retainKeys")
        var result = original
        var orders: [String: [JSONValue]] = [:]
        for (key, value) in patch {
            if key.hasPrefix(deleteFromPrimitiveList) {
                let field = String(key.dropFirst(deleteFromPrimitiveList.count))
                let removed = value.arrayValue ?? []
                if let list = result[field]?.arrayValue { result[field] = .array(list.filter { !removed.contains($0) }) }
                continue
            }
            if key.hasPrefix(setElementOrder) {
                orders[String(key.dropFirst(setElementOrder.count))] = value.arrayValue ?? []
                continue
            }
            if value.isNull {
                result[key] = nil
                continue
            }
            let field = schema?.field(key) ?? (schema?.mapValues).map { PatchField(strategies: [], mergeKey: nil, schema: $0) }
            switch value {
            case .object(let inner):
                if field?.strategies.contains("replace") == true {
                    result[key] = .object(try strippingDirectives(inner))
                } else if let merged = try mergeMap(inner, into: result[key]?.objectValue ?? [:], schema: field?.schema) {
                    result[key] = .object(merged)
                } else {
                    result[key] = nil
                }
            case .array(let elements):
                result[key] = .array(try mergeList(elements, into: result[key]?.arrayValue, field: field))
            default:
                result[key] = value
            }
        }
        for (field, order) in orders {
            if let list = result[field]?.arrayValue {
                result[field] = .array(reorder(list, by: order, mergeKey: schema?.field(field)?.mergeKey))
            }
        }
        if let retainKeys {
            let kept = Set((retainKeys.arrayValue ?? []).compactMap(\.stringValue))
            result = result.filter { kept.contains($0.key) }
        }
        return result
    }

    private static func mergeList(_ patch: [JSONValue], into original: [JSONValue]?, field: PatchField?) throws(Failure) -> [JSONValue] {
        if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
            return try patch.filter { $0["$patch"]?.stringValue != "replace" }.map(strippingDirectives)
        }
        guard let field, field.strategies.contains("merge"), let original else {
            return try patch.map(strippingDirectives)
        }
        guard let mergeKey = field.mergeKey else {
            // A set of primitives: add what is missing, keep the original order.
            var result = original
            for element in patch where !result.contains(element) { result.append(element) }
            return result
        }
        var result = original
        for element in patch {
            guard case .object(var members) = element else {
                throw Failure(message: "a list merged by \(mergeKey) must contain objects")
            }
            let key = members[mergeKey]
            let index = result.firstIndex { $0[mergeKey] == key && key != nil }
            if members["$patch"]?.stringValue == "delete" {
                if let index { result.remove(at: index) }
                continue
            }
            members["$patch"] = nil
            if let index {
                let merged = try mergeMap(members, into: result[index].objectValue ?? [:], schema: field.schema)
                if let merged { result[index] = .object(merged) } else { result.remove(at: index) }
            } else {
                result.append(.object(try strippingDirectives(members)))
            }
        }
        return result
    }

    /// Orders `list` as `order` says (by merge key, or by value for primitives); elements not in
    /// `order` keep their relative order at the end.
    private static func reorder(_ list: [JSONValue], by order: [JSONValue], mergeKey: String?) -> [JSONValue] {
        func identity(_ element: JSONValue) -> JSONValue { mergeKey.flatMap { element[$0] } ?? element }
        let positions = Dictionary(order.enumerated().map { (identity($0.element), $0.offset) }, uniquingKeysWith: { first, _ in first })
        return list.enumerated().sorted { lhs, rhs in
            let left = positions[identity(lhs.element)] ?? Int.max
            let right = positions[identity(rhs.element)] ?? Int.max
            return left != right ? left < right : lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// A value with every directive removed (for parts that replace rather than merge).
    private static func strippingDirectives(_ members: [String: JSONValue]) throws(Failure) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (key, value) in members where !key.hasPrefix("$") {
            result[key] = try strippingDirectives(value)
        }
        return result
    }

    private static func strippingDirectives(_ value: JSONValue) throws(Failure) -> JSONValue {
        switch value {
        case .object(let members): return .object(try strippingDirectives(members))
        case .array(let elements): return .array(try elements.map(strippingDirectives))
        default: return value
        }
    }
}
