import SkiffAPI

/// Derives the OpenAPI v3 schema of a `Decodable` type (controller-gen's job, without markers):
/// the type is decoded once from a decoder that answers every question with a placeholder and
/// records what was asked. Stored properties become `properties` (non-optional ones
/// `required`), arrays and sets `items`, string-keyed dictionaries `additionalProperties`,
/// `CaseIterable` enums with raw values `enum`, numbers and strings their types and formats.
/// A type conforming to `OpenAPISchemaProviding` gives its own schema.
///
/// Limits: a type must be decodable from placeholders (empty strings, zeros, the first case of
/// an enum); one whose `init(from:)` validates more than that should provide its schema; a
/// type that contains itself (a tree) cannot be inferred (the walk would not end).
public enum OpenAPISchemaInference {
    /// The schema of `type`.
    public static func schema<T: Decodable>(of type: T.Type) throws -> JSONValue {
        try infer(type).schema
    }

    /// A placeholder value of `type` and its schema.
    static func infer<T: Decodable>(_ type: T.Type) throws -> (value: T, schema: JSONValue) {
        if let provided = type as? any OpenAPISchemaProviding.Type {
            return (try cast(provided.schemaPlaceholder), provided.openAPISchema)
        }
        if let scalar = type as? any InferredScalar.Type {
            return (try cast(scalar.placeholder), scalar.inferredSchema)
        }
        if let enumeration = type as? any CaseIterable.Type, let (first, schema) = enumerationSchema(enumeration) {
            return (try cast(first), schema)
        }
        let recorder = SchemaRecorder()
        let value = try T(from: SchemaInferringDecoder(recorder: recorder))
        return (value, recorder.schema)
    }

    private static func cast<T>(_ value: Any) throws -> T {
        guard let typed = value as? T else {
            throw DecodingError.typeMismatch(T.self, .init(codingPath: [], debugDescription: "no placeholder of \(T.self)"))
        }
        return typed
    }

    /// An enum's cases as `enum` values, when they have string or integer raw values.
    private static func enumerationSchema<E: CaseIterable>(_ type: E.Type) -> (Any, JSONValue)? {
        let cases = Array(type.allCases)
        guard let first = cases.first else { return nil }
        var strings: [JSONValue] = []
        var integers: [JSONValue] = []
        for value in cases {
            switch (value as? any RawRepresentable)?.rawValue {
            case let text as String: strings.append(.string(text))
            case let number as Int: integers.append(.int(Int64(number)))
            default: return nil
            }
        }
        if integers.isEmpty { return (first, ["type": "string", "enum": .array(strings)]) }
        if strings.isEmpty { return (first, ["type": "integer", "enum": .array(integers)]) }
        return nil
    }
}

/// What the decoder learnt about one value while it was decoded.
final class SchemaRecorder {
    /// A known schema (a scalar, or a type that provides its own).
    var fixed: JSONValue?
    /// Keyed values: the properties seen, and which were decoded as non-optional.
    var properties: [String: SchemaRecorder] = [:]
    var required: Set<String> = []
    var isObject = false
    /// A keyed container asked for its keys: a dictionary, whose one value is the map's values.
    var isMap = false
    /// Unkeyed values: the schema of their elements.
    var items: SchemaRecorder?

    /// The recorded schema.
    var schema: JSONValue {
        if let fixed { return fixed }
        if let items { return ["type": "array", "items": items.schema] }
        if isMap {
            return ["type": "object", "additionalProperties": properties.values.first?.schema ?? ["x-kubernetes-preserve-unknown-fields": true]]
        }
        var schema: JSONValue = ["type": "object"]
        if !properties.isEmpty { schema["properties"] = .object(properties.mapValues(\.schema)) }
        if !required.isEmpty { schema["required"] = .array(required.sorted().map(JSONValue.string)) }
        return schema
    }

    /// The recorder of property `key`, made on first use.
    func property(_ key: String) -> SchemaRecorder {
        if let existing = properties[key] { return existing }
        let recorder = SchemaRecorder()
        properties[key] = recorder
        return recorder
    }
}
