extension FieldSet {
    /// The fields `value` sets, typed by `schema`, as upstream's typed values compute them: every
    /// scalar, atomic value, map entry, set element and associative-list element is a member;
    /// objects whose fields merge one by one are members only when empty or null.
    ///
    /// `markingMaps` also makes every map-typed field (`additionalProperties`) a member, the way
    /// an update from an object without that map records it upstream (`f:labels: {".": {}}`).
    public init(of value: JSONValue, schema: (any StructuralSchema)?, markingMaps: Bool = false) {
        self = Self.collect(value, schema, markingMaps)
    }

    /// The set of the member `name` of an object of type `schema`, with the member itself in it
    /// when it is null, empty, a map entry or (when `markingMaps`) a map.
    static func member(_ name: String, _ value: JSONValue, of schema: (any StructuralSchema)?, _ markingMaps: Bool) -> FieldSet {
        let declared = schema?.property(name)
        let childSchema = declared ?? schema?.mapValues
        var set = collect(value, childSchema, markingMaps)
        if value.isNull || value == .emptyObject || declared == nil { set.isMember = true }
        if markingMaps, let childSchema, childSchema.isMap, case .object = value { set.isMember = true }
        return set
    }

    /// The set of an element of a list of type `schema`: the element itself and what it sets.
    static func element(_ value: JSONValue, of schema: (any StructuralSchema)?, _ markingMaps: Bool) -> FieldSet {
        var set = collect(value, schema?.elements, markingMaps)
        set.isMember = true
        return set
    }

    static func collect(_ value: JSONValue, _ schema: (any StructuralSchema)?, _ markingMaps: Bool) -> FieldSet {
        switch value {
        case .object(let members):
            guard (schema?.shape ?? .granular) == .granular else { return FieldSet(isMember: true) }
            var set = FieldSet()
            for (name, child) in members {
                set.children[FieldPath.field(name)] = member(name, child, of: schema, markingMaps)
            }
            return set
        case .array(let elements):
            switch schema?.shape ?? .atomicList {
            case .set:
                var set = FieldSet()
                for element in elements { set.children[FieldPath.value(element)] = FieldSet(isMember: true) }
                return set
            case .map(let keys):
                var set = FieldSet()
                for (index, element) in elements.enumerated() {
                    set.children[FieldPath.element(element, keys: keys, index: index, schema: schema?.elements)] =
                        Self.element(element, of: schema, markingMaps)
                }
                return set
            default:
                return FieldSet(isMember: true)
            }
        default:
            return FieldSet(isMember: true)
        }
    }
}

extension StructuralSchema {
    /// A map (`additionalProperties`) rather than a structure with declared fields.
    var isMap: Bool { shape == .granular && mapValues != nil }
}

extension FieldPath {
    /// The path element of an associative-list element: its key fields, or its index when it
    /// has none of them.
    /// A key field missing from an element counts with its default, as the server fills it in.
    static func element(_ element: JSONValue, keys: [String], index: Int, schema: (any StructuralSchema)?) -> String {
        guard case .object(let members) = element else { return FieldPath.index(index) }
        var text = "k:{"
        var found = false
        // Key names come from the schema's `x-kubernetes-list-map-keys`: identifiers, no escaping needed.
        for key in keys.count > 1 ? keys.sorted() : keys {
            guard let value = members[key] ?? schema?.property(key)?.defaultValue else { continue }
            text += (found ? ",\"" : "\"") + key + "\":" + Self.scalarJSON(value)
            found = true
        }
        return found ? text + "}" : FieldPath.index(index)
    }

    /// The JSON text of a key value; plain strings and integers without the general serializer.
    private static func scalarJSON(_ value: JSONValue) -> String {
        switch value {
        case .int(let number):
            return String(number)
        case .string(let text) where text.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }):
            return "\"" + text + "\""
        default:
            return value.serializedString()
        }
    }

    /// The value at `path` in `value`, or nil when there is none.
    public static func value(at path: some Collection<String>, in value: JSONValue) -> JSONValue? {
        guard let first = path.first else { return value }
        guard let child = child(first, of: value) else { return nil }
        return self.value(at: path.dropFirst(), in: child.value)
    }

    /// Removes the value at `path` from `value`; nothing happens when there is none.
    public static func remove(_ path: some Collection<String>, from value: inout JSONValue) {
        guard let first = path.first, let child = child(first, of: value) else { return }
        let rest = path.dropFirst()
        switch child.position {
        case .member(let name):
            if rest.isEmpty {
                value[name] = nil
            } else {
                var inner = child.value
                value[name] = nil
                remove(rest, from: &inner)
                value[name] = inner
            }
        case .element(let index):
            guard case .array(var elements) = value else { return }
            value = .null
            if rest.isEmpty {
                elements.remove(at: index)
            } else {
                remove(rest, from: &elements[index])
            }
            value = .array(elements)
        }
    }

    private enum Position { case member(String), element(Int) }

    private static func child(_ element: String, of value: JSONValue) -> (value: JSONValue, position: Position)? {
        let body = String(element.dropFirst(2))
        switch element.prefix(2) {
        case "f:":
            return value[body].map { ($0, .member(body)) }
        case "k:":
            guard let elements = value.arrayValue, let keys = try? JSONValue(parsing: body).objectValue else { return nil }
            guard let index = elements.firstIndex(where: { candidate in keys.allSatisfy { candidate[$0.key] == $0.value } }) else {
                return nil
            }
            return (elements[index], .element(index))
        case "v:":
            guard let elements = value.arrayValue, let wanted = try? JSONValue(parsing: body),
                  let index = elements.firstIndex(of: wanted) else { return nil }
            return (elements[index], .element(index))
        case "i:":
            guard let elements = value.arrayValue, let index = Int(body), elements.indices.contains(index) else { return nil }
            return (elements[index], .element(index))
        default:
            return nil
        }
    }
}
