import Foundation
import SkiffAPI

/// One node of a CRD's `openAPIV3Schema` (`JSONSchemaProps`), parsed once: what validation,
/// pruning and defaulting need, with children as nodes.
public final class CustomResourceSchema: Sendable {
    /// `type`: `object`, `array`, `string`, `integer`, `number`, `boolean`; nil when unset.
    public let type: String?
    public let format: String?
    public let properties: [String: CustomResourceSchema]
    /// `additionalProperties` given as a schema (a map's values).
    public let additionalProperties: CustomResourceSchema?
    /// `additionalProperties: true`.
    public let allowsAdditionalProperties: Bool
    public let items: CustomResourceSchema?
    public let required: [String]
    public let enumValues: [JSONValue]
    public let minimum: Double?, maximum: Double?
    public let exclusiveMinimum: Bool, exclusiveMaximum: Bool
    public let multipleOf: Double?
    public let minLength: Int64?, maxLength: Int64?
    public let minItems: Int64?, maxItems: Int64?
    public let minProperties: Int64?, maxProperties: Int64?
    public let pattern: String?
    public let nullable: Bool
    public let defaultValue: JSONValue?
    public let intOrString: Bool
    public let preserveUnknownFields: Bool
    public let embeddedResource: Bool
    public let listType: String?
    public let listMapKeys: [String]
    /// The node's JSON as written (CEL compiles against it).
    public let json: JSONValue
    /// Whether a property, item or map value below this node has a `default` (else defaulting
    /// has nothing to do here).
    public let hasDefaultsBelow: Bool
    /// `pattern` compiled once (nil when there is none or it does not compile).
    let patternExpression: NSRegularExpression?

    /// Parses a schema node (missing members mean "no constraint").
    public init(_ json: JSONValue) {
        self.json = json
        type = json["type"]?.stringValue
        format = json["format"]?.stringValue
        var properties: [String: CustomResourceSchema] = [:]
        for (name, property) in json["properties"]?.objectValue ?? [:] { properties[name] = CustomResourceSchema(property) }
        self.properties = properties
        switch json["additionalProperties"] {
        case .object(let members)?:
            additionalProperties = CustomResourceSchema(.object(members))
            allowsAdditionalProperties = true
        case .bool(let allowed)?:
            additionalProperties = nil
            allowsAdditionalProperties = allowed
        default:
            additionalProperties = nil
            allowsAdditionalProperties = false
        }
        items = json["items"].flatMap { $0.objectValue != nil ? CustomResourceSchema($0) : nil }
        required = (json["required"]?.arrayValue ?? []).compactMap(\.stringValue)
        enumValues = json["enum"]?.arrayValue ?? []
        minimum = json["minimum"]?.numberValue
        maximum = json["maximum"]?.numberValue
        exclusiveMinimum = json["exclusiveMinimum"]?.boolValue ?? false
        exclusiveMaximum = json["exclusiveMaximum"]?.boolValue ?? false
        multipleOf = json["multipleOf"]?.numberValue
        minLength = json["minLength"]?.intValue
        maxLength = json["maxLength"]?.intValue
        minItems = json["minItems"]?.intValue
        maxItems = json["maxItems"]?.intValue
        minProperties = json["minProperties"]?.intValue
        maxProperties = json["maxProperties"]?.intValue
        pattern = json["pattern"]?.stringValue
        nullable = json["nullable"]?.boolValue ?? false
        defaultValue = json["default"]
        intOrString = json["x-kubernetes-int-or-string"]?.boolValue ?? false
        preserveUnknownFields = json["x-kubernetes-preserve-unknown-fields"]?.boolValue ?? false
        embeddedResource = json["x-kubernetes-embedded-resource"]?.boolValue ?? false
        listType = json["x-kubernetes-list-type"]?.stringValue
        listMapKeys = (json["x-kubernetes-list-map-keys"]?.arrayValue ?? []).compactMap(\.stringValue)
        let children = Array(properties.values) + [additionalProperties, items].compactMap { $0 }
        hasDefaultsBelow = children.contains { $0.defaultValue != nil || $0.hasDefaultsBelow }
        patternExpression = pattern.flatMap { try? NSRegularExpression(pattern: $0) }
    }
}

extension JSONValue {
    /// The value as a number (integers too), nil for other types.
    var numberValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }
}
