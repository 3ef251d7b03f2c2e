import SkiffAPI

/// Conversion of JSON data to CEL values, typed by a schema as Kubernetes types them: integers
/// as `int`, numbers as `double`, `date-time` strings as timestamps, `duration` strings as
/// durations, `byte` strings as bytes, objects with properties keyed by escaped property names.
extension CELValue {
    /// The CEL value of `json` under `schema` (nil: untyped, as `dyn` values are converted).
    public init(json: JSONValue, schema: CELSchema? = nil, typeName: String = "self") {
        guard let schema, !schema.intOrString else {
            self = Self.untyped(json)
            return
        }
        switch json {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = schema.type == "number" ? .double(Double(number)) : .int(number)
        case .double(let number):
            if schema.type == "integer", let exact = Int64(exactly: number) { self = .int(exact) } else { self = .double(number) }
        case .string(let text): self = Self.string(text, format: schema.format)
        case .array(let elements):
            let itemSchema = schema.items?.schema
            self = .list(elements.map { CELValue(json: $0, schema: itemSchema, typeName: typeName + ".@idx") })
        case .object(let members):
            if let additional = schema.additionalProperties?.schema {
                var map = CELMap()
                for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                    map.insert(.string(key), CELValue(json: value, schema: additional, typeName: typeName + ".@elem"))
                }
                self = .map(map)
                return
            }
            let objectSchema = schema.embeddedResource && schema.properties["metadata"] == nil ? schema.withTypeAndObjectMeta() : schema
            if objectSchema.properties.isEmpty && objectSchema.preserveUnknownFields {
                self = Self.untyped(json)
                return
            }
            var map = CELMap(typeName: typeName)
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                if let propertySchema = objectSchema.properties[key], let name = CELSchema.escapedPropertyName(key) {
                    map.insert(.string(name), CELValue(json: value, schema: propertySchema, typeName: typeName + "." + key))
                } else if objectSchema.preserveUnknownFields, let name = CELSchema.escapedPropertyName(key) {
                    map.insert(.string(name), Self.untyped(value))
                }
            }
            self = .map(map)
        }
    }

    private static func string(_ text: String, format: String?) -> CELValue {
        switch format {
        case "date-time": return Timestamp(rfc3339: text).map { .timestamp($0) } ?? .string(text)
        case "date":
            return Timestamp(rfc3339: text + "T00:00:00Z").map { .timestamp($0) } ?? .string(text)
        case "duration": return CELDurationFormat.parse(text).map { .duration($0) } ?? .string(text)
        case "byte": return CELBase64.decode(text).map { .bytes($0) } ?? .string(text)
        default: return .string(text)
        }
    }

    /// The CEL value of schema-less JSON.
    static func untyped(_ json: JSONValue) -> CELValue {
        switch json {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .double(let number): return .double(number)
        case .string(let text): return .string(text)
        case .array(let elements): return .list(elements.map(untyped))
        case .object(let members):
            var map = CELMap()
            for (key, value) in members.sorted(by: { $0.key < $1.key }) { map.insert(.string(key), untyped(value)) }
            return .map(map)
        }
    }

    /// The JSON form of a value (for callers that store results); durations and timestamps as
    /// strings, bytes as base64.
    public var jsonValue: JSONValue {
        switch self {
        case .int(let number): .int(number)
        case .uint(let number): number <= UInt64(Int64.max) ? .int(Int64(number)) : .double(Double(number))
        case .double(let number): .double(number)
        case .bool(let flag): .bool(flag)
        case .string(let text): .string(text)
        case .bytes(let bytes): .string(CELBase64.encode(bytes))
        case .null: .null
        case .duration(let nanos): .string(CELDurationFormat.format(nanos))
        case .timestamp(let instant): .string(CELTimestampFormat.format(instant))
        case .quantity(let quantity): .string(quantity.text)
        case .list(let elements): .array(elements.map(\.jsonValue))
        case .map(let map):
            .object(Dictionary(map.entries.map { (CELValue.displayKey($0.key), $0.value.jsonValue) }, uniquingKeysWith: { first, _ in first }))
        case .type(let name): .string(name)
        case .optional(let box): box?.value.jsonValue ?? .null
        }
    }

    private static func displayKey(_ key: CELValue) -> String {
        if case .string(let text) = key { return text }
        return key.jsonValue.serializedString()
    }
}
