import SkiffAPI

/// The parts of an OpenAPI v3 (structural) schema that CEL typing, value conversion and cost
/// estimation need, read from the schema's JSON form.
public struct CELSchema: Sendable {
    /// `type` (`object`, `array`, `string`, `integer`, `number`, `boolean`), empty when unset.
    public var type: String
    /// `format` (`date-time`, `duration`, `byte`, …).
    public var format: String?
    /// `properties`, by property name.
    public var properties: [String: CELSchema]
    /// `additionalProperties` when it is a schema.
    public var additionalProperties: Box?
    /// `items`.
    public var items: Box?
    /// `maxLength`, `maxItems`, `maxProperties`.
    public var maxLength: Int?, maxItems: Int?, maxProperties: Int?
    /// `enum` values, which bound a string's length.
    public var enumValues: [JSONValue]
    /// `nullable`.
    public var nullable: Bool
    /// `x-kubernetes-int-or-string` (custom resources), or `format: int-or-string` (built-in kinds).
    public var intOrString: Bool
    /// `x-kubernetes-preserve-unknown-fields`.
    public var preserveUnknownFields: Bool
    /// `x-kubernetes-embedded-resource`.
    public var embeddedResource: Bool
    /// `x-kubernetes-list-type` (`atomic`, `set`, `map`).
    public var listType: String?
    /// `x-kubernetes-list-map-keys`.
    public var listMapKeys: [String]

    /// A boxed schema, so that schemas can nest.
    public final class Box: Sendable {
        /// The nested schema.
        public let schema: CELSchema
        init(_ schema: CELSchema) { self.schema = schema }
    }

    /// Reads a schema from its JSON form.
    public init(_ json: JSONValue) {
        let members = json.objectValue ?? [:]
        type = members["type"]?.stringValue ?? ""
        format = members["format"]?.stringValue
        properties = (members["properties"]?.objectValue ?? [:]).mapValues { CELSchema($0) }
        if let additional = members["additionalProperties"], additional.objectValue != nil {
            additionalProperties = Box(CELSchema(additional))
        }
        if let itemSchema = members["items"], itemSchema.objectValue != nil { items = Box(CELSchema(itemSchema)) }
        maxLength = members["maxLength"]?.intValue.map { Int($0) }
        maxItems = members["maxItems"]?.intValue.map { Int($0) }
        maxProperties = members["maxProperties"]?.intValue.map { Int($0) }
        enumValues = members["enum"]?.arrayValue ?? []
        nullable = members["nullable"]?.boolValue ?? false
        intOrString = members["x-kubernetes-int-or-string"]?.boolValue ?? false || format == "int-or-string"
        preserveUnknownFields = members["x-kubernetes-preserve-unknown-fields"]?.boolValue ?? false
        embeddedResource = members["x-kubernetes-embedded-resource"]?.boolValue ?? false
        listType = members["x-kubernetes-list-type"]?.stringValue
        listMapKeys = (members["x-kubernetes-list-map-keys"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    /// The schema with Kubernetes' implicit members of an embedded or root resource: `apiVersion`,
    /// `kind`, and `metadata` with `name` and `generateName`. A schema that declares them all
    /// already (a built-in kind's, with the whole `ObjectMeta`) is kept as it is, as upstream.
    public func withTypeAndObjectMeta() -> CELSchema {
        let metadata = properties["metadata"]
        if properties["apiVersion"]?.type == "string", properties["kind"]?.type == "string", metadata?.type == "object",
           metadata?.properties["name"]?.type == "string", metadata?.properties["generateName"]?.type == "string" {
            return self
        }
        var schema = self
        let string = CELSchema(["type": "string"])
        schema.type = "object"
        schema.properties["apiVersion"] = string
        schema.properties["kind"] = string
        schema.properties["metadata"] = CELSchema([
            "type": "object",
            "properties": ["name": ["type": "string"], "generateName": ["type": "string"]],
        ])
        return schema
    }
}
