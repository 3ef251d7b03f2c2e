import Foundation
import SkiffAPI

/// The structural-schema rules a CRD's `openAPIV3Schema` must follow (upstream's
/// `ValidateStructural` and the v1 schema checks), with upstream's paths and messages
/// (`spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be
/// empty for specified object fields`), sorted by message as upstream sorts them.
public enum StructuralSchemaCheck {
    /// The errors of one version's schema, reported under `path`.
    public static func errors(of schema: JSONValue, path: String) -> [FieldError] {
        guard schema.objectValue != nil else { return [.required(path, "schemas are required")] }
        var errors: [FieldError] = []
        check(schema, path: path, level: .root, errors: &errors)
        return errors.sorted { $0.message < $1.message }
    }

    enum Level {
        case root
        case items
        case field
    }

    private static func check(_ schema: JSONValue, path: String, level: Level, errors: inout [FieldError]) {
        let type = schema["type"]?.stringValue ?? ""
        let intOrString = schema["x-kubernetes-int-or-string"]?.boolValue == true
        let embedded = schema["x-kubernetes-embedded-resource"]?.boolValue == true
        let preserve = schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
        let properties = schema["properties"]?.objectValue ?? [:]
        checkType(type, path: path, level: level, embedded: embedded, intOrString: intOrString, preserve: preserve, errors: &errors)
        if embedded, schema["additionalProperties"] != nil {
            errors.append(.forbidden(path + ".additionalProperties", "must not be used if x-kubernetes-embedded-resource is set"))
        }
        if embedded, !preserve, properties.isEmpty {
            errors.append(.required(path + ".properties",
                                    "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"))
        }
        if level == .root || embedded {
            for (name, expected) in [("kind", "string"), ("apiVersion", "string"), ("metadata", "object")] {
                guard let property = properties[name], property["type"]?.stringValue != expected else { continue }
                errors.append(.invalid(path + ".properties[\(name)].type", .string(property["type"]?.stringValue ?? ""), "must be \(expected)"))
            }
        }
        if level == .root, let metadata = properties["metadata"] {
            let keys = Set(metadata.objectValue?.keys.map { $0 } ?? []).subtracting(["type", "properties", "description"])
            let names = Set(metadata["properties"]?.objectValue?.keys.map { $0 } ?? [])
            if !keys.isEmpty || !names.isSubset(of: ["name", "generateName"]) {
                errors.append(.forbidden(path + ".properties[metadata]",
                                         "must not specify anything other than name and generateName, but metadata is implicitly specified"))
            }
        }
        checkExtensions(schema, path: path, type: type, intOrString: intOrString, embedded: embedded, preserve: preserve, errors: &errors)
        checkKeywords(schema, path: path, type: type, level: level, errors: &errors)
        for (name, property) in properties.sorted(by: { $0.key < $1.key }) {
            check(property, path: path + ".properties[\(name)]", level: .field, errors: &errors)
        }
        if let items = schema["items"], items.objectValue != nil {
            check(items, path: path + ".items", level: .items, errors: &errors)
        }
        if let values = schema["additionalProperties"], values.objectValue != nil {
            check(values, path: path + ".additionalProperties", level: .field, errors: &errors)
        }
        if let defaultValue = schema["default"], level != .root {
            let node = CustomResourceSchema(schema)
            SchemaValidator(root: node).validate(defaultValue, node, path: path + ".default", into: &errors)
        }
    }

    private static func checkType(_ type: String, path: String, level: Level, embedded: Bool, intOrString: Bool, preserve: Bool,
                                  errors: inout [FieldError]) {
        let typePath = path + ".type"
        if embedded, type != "object" {
            let detail = "must be object if x-kubernetes-embedded-resource is true"
            errors.append(type.isEmpty ? .required(typePath, detail) : .invalid(typePath, .string(type), detail))
        } else if type.isEmpty, !intOrString, !preserve {
            switch level {
            case .root: errors.append(.required(typePath, "must not be empty at the root"))
            case .items: errors.append(.required(typePath, "must not be empty for specified array items"))
            case .field: errors.append(.required(typePath, "must not be empty for specified object fields"))
            }
        }
        if level == .root, !type.isEmpty, type != "object" {
            errors.append(.invalid(typePath, .string(type), "must be object at the root"))
        }
        if !type.isEmpty, !["object", "array", "string", "integer", "number", "boolean"].contains(type) {
            errors.append(.notSupported(typePath, .string(type), supported: ["array", "boolean", "integer", "number", "object", "string"]))
        }
        if intOrString, !type.isEmpty {
            errors.append(.invalid(typePath, .string(type), "must be empty if x-kubernetes-int-or-string is true"))
        }
    }

    private static func checkExtensions(_ schema: JSONValue, path: String, type: String, intOrString: Bool, embedded: Bool, preserve: Bool,
                                        errors: inout [FieldError]) {
        if intOrString, preserve {
            errors.append(.invalid(path + ".x-kubernetes-preserve-unknown-fields", true, "must be false if x-kubernetes-int-or-string is true"))
        }
        if intOrString, embedded {
            errors.append(.invalid(path + ".x-kubernetes-embedded-resource", true, "must be false if x-kubernetes-int-or-string is true"))
        }
        if schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == false {
            errors.append(.invalid(path + ".x-kubernetes-preserve-unknown-fields", false, "must be true or undefined"))
        }
        if let listType = schema["x-kubernetes-list-type"]?.stringValue {
            if type != "array" {
                errors.append(.invalid(path + ".x-kubernetes-list-type", .string(listType), "must only be used if type is array"))
            } else if !["atomic", "set", "map"].contains(listType) {
                errors.append(.notSupported(path + ".x-kubernetes-list-type", .string(listType), supported: ["atomic", "set", "map"]))
            } else if listType == "map", (schema["x-kubernetes-list-map-keys"]?.arrayValue ?? []).isEmpty {
                errors.append(.required(path + ".x-kubernetes-list-map-keys", "must not be empty if x-kubernetes-list-type is map"))
            }
        }
    }

    private static func checkKeywords(_ schema: JSONValue, path: String, type: String, level: Level, errors: inout [FieldError]) {
        if schema["$ref"] != nil { errors.append(.forbidden(path + ".$ref", "$ref is not supported")) }
        if schema["uniqueItems"]?.boolValue == true {
            errors.append(.forbidden(path + ".uniqueItems", "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"))
        }
        if schema["additionalProperties"] != nil, schema["properties"] != nil {
            errors.append(.forbidden(path + ".additionalProperties", "additionalProperties and properties are mutual exclusive"))
        } else if schema["additionalProperties"]?.boolValue == false {
            errors.append(.forbidden(path + ".additionalProperties", "additionalProperties cannot be set to false"))
        }
        if level == .root, schema["additionalProperties"] != nil {
            errors.append(.forbidden(path + ".additionalProperties", "must not be used at the root"))
        }
        if type == "array", schema["items"] == nil {
            errors.append(.required(path + ".items", "must be specified"))
        }
        if schema["items"]?.arrayValue != nil {
            errors.append(.forbidden(path + ".items", "items must be a schema object and not an array"))
        }
        if let pattern = schema["pattern"]?.stringValue, (try? NSRegularExpression(pattern: pattern)) == nil {
            errors.append(.invalid(path + ".pattern", .string(pattern), "must be a valid regular expression"))
        }
    }
}
