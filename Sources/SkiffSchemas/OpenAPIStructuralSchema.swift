import SkiffAPI

/// A `StructuralSchema` over OpenAPI definitions: how server-side apply merges built-in kinds
/// (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`).
public struct OpenAPIStructuralSchema: StructuralSchema {
    /// The schema with references resolved.
    let schema: JSONValue
    /// The schema as written where it is used: its own extensions win over the target's.
    let declared: JSONValue
    let definitions: [String: JSONValue]

    /// The schema of a definition (e.g. `io.k8s.api.apps.v1.Deployment`), or nil if unknown.
    public init?(definition name: String, definitions: [String: JSONValue] = BuiltinSchemas.definitions) {
        guard let schema = definitions[name] else { return nil }
        self.init(schema: schema, definitions: definitions)
    }

    init(schema: JSONValue, definitions: [String: JSONValue]) {
        self.declared = schema
        self.schema = BuiltinSchemas.resolve(schema, in: definitions)
        self.definitions = definitions
    }

    private func extensionValue(_ name: String) -> JSONValue? { declared[name] ?? schema[name] }

    public var shape: StructuralShape {
        if schema["type"]?.stringValue == "array" {
            switch extensionValue("x-kubernetes-list-type")?.stringValue {
            case "set": return .set
            case "map": return .map(keys: (extensionValue("x-kubernetes-list-map-keys")?.arrayValue ?? []).compactMap(\.stringValue))
            default: return .atomicList
            }
        }
        let isObject = schema["type"]?.stringValue == "object" || schema["properties"] != nil || schema["additionalProperties"] != nil
        guard isObject, extensionValue("x-kubernetes-int-or-string") == nil else { return .atomic }
        let atomic = extensionValue("x-kubernetes-map-type")?.stringValue == "atomic"
            || extensionValue("x-kubernetes-structure-type")?.stringValue == "atomic"
        return atomic ? .atomic : .granular
    }

    public func property(_ name: String) -> (any StructuralSchema)? {
        schema[path: "properties", name].map { OpenAPIStructuralSchema(schema: $0, definitions: definitions) }
    }

    public var mapValues: (any StructuralSchema)? {
        guard let values = schema["additionalProperties"], values.objectValue != nil else { return nil }
        return OpenAPIStructuralSchema(schema: values, definitions: definitions)
    }

    public var elements: (any StructuralSchema)? {
        schema["items"].map { OpenAPIStructuralSchema(schema: $0, definitions: definitions) }
    }
}
