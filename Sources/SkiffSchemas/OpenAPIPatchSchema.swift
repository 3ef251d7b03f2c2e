import SkiffAPI

/// A `PatchSchema` over the OpenAPI definitions: strategic merge patch for built-in kinds.
public struct OpenAPIPatchSchema: PatchSchema {
    let schema: JSONValue
    let definitions: [String: JSONValue]

    /// The schema of a definition (e.g. `io.k8s.api.apps.v1.Deployment`), or nil if unknown.
    public init?(definition name: String, definitions: [String: JSONValue] = BuiltinSchemas.definitions) {
        guard let schema = definitions[name] else { return nil }
        self.init(schema: schema, definitions: definitions)
    }

    init(schema: JSONValue, definitions: [String: JSONValue]) {
        self.schema = BuiltinSchemas.resolve(schema, in: definitions)
        self.definitions = definitions
    }

    public func field(_ name: String) -> PatchField? {
        guard let property = schema[path: "properties", name] else { return nil }
        let strategies = Set((property["x-kubernetes-patch-strategy"]?.stringValue ?? "").split(separator: ",").map(String.init))
        let element = property["type"]?.stringValue == "array" ? property["items"] : property
        return PatchField(strategies: strategies, mergeKey: property["x-kubernetes-patch-merge-key"]?.stringValue,
                          schema: element.map { OpenAPIPatchSchema(schema: $0, definitions: definitions) })
    }

    public var mapValues: (any PatchSchema)? {
        schema["additionalProperties"].map { OpenAPIPatchSchema(schema: $0, definitions: definitions) }
    }
}
