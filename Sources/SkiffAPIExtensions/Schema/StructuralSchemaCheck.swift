import SkiffAPI

/// The structural-schema rules a CRD's `openAPIV3Schema` must follow (upstream's
/// `ValidateStructural` and the v1 schema checks), with upstream's paths and messages
/// (`spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be
/// empty for specified object fields`).
public enum StructuralSchemaCheck {
    /// The errors of one version's schema, reported under `path`.
    public static func errors(of schema: JSONValue, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        guard schema.objectValue != nil else { return [.required(path, "schemas are required")] }
        if let type = schema["type"]?.stringValue, type != "object" {
            errors.append(.invalid(path + ".type", .string(type), "must be object at the root"))
        } else if schema["type"] == nil {
            errors.append(.required(path + ".type", "must not be empty at the root"))
        }
        if let metadata = schema[path: "properties", "metadata"] {
            let allowed = Set(["type", "properties", "description"])
            let names = Set(metadata["properties"]?.objectValue?.keys.map { $0 } ?? [])
            if !Set(metadata.objectValue?.keys.map { $0 } ?? []).isSubset(of: allowed) || !names.isSubset(of: ["name", "generateName"]) {
                errors.append(.forbidden(path + ".properties[metadata]",
                                         "must not specify anything other than name and generateName, but metadata is implicitly specified"))
            }
        }
        check(schema, path: path, level: .root, errors: &errors)
        return errors
    }

    enum Level {
        case root
        case property
        case items
        case additionalProperties
    }

    private static func check(_ schema: JSONValue, path: String, level: Level, errors: inout [FieldError]) {
        let type = schema["type"]?.stringValue ?? ""
        let intOrString = schema["x-kubernetes-int-or-string"]?.boolValue == true
        let embedded = schema["x-kubernetes-embedded-resource"]?.boolValue == true
        let preserve = schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
        if type.isEmpty, !intOrString, !embedded, !(preserve && level != .root) {
            switch level {
            case .property: errors.append(.required(path + ".type", "must not be empty for specified object fields"))
            case .items: errors.append(.required(path + ".type", "must not be empty for specified array items"))
            case .additionalProperties: errors.append(.required(path + ".type", "must not be empty for specified additionalProperties"))
            case .root: break
            }
        }
        if !type.isEmpty, !["object", "array", "string", "integer", "number", "boolean"].contains(type) {
            errors.append(.notSupported(path + ".type", .string(type), supported: ["array", "boolean", "integer", "number", "object", "string"]))
        }
        if intOrString, !type.isEmpty {
            errors.append(.invalid(path + ".type", .string(type), "must be empty if x-kubernetes-int-or-string is true"))
        }
        if embedded, type != "object" {
            errors.append(.invalid(path + ".type", .string(type), "must be object if x-kubernetes-embedded-resource is true"))
        }
        if schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == false {
            errors.append(.invalid(path + ".x-kubernetes-preserve-unknown-fields", false, "must be true or undefined"))
        }
        if schema["$ref"] != nil { errors.append(.forbidden(path + ".$ref", "$ref is not supported")) }
        if schema["uniqueItems"]?.boolValue == true {
            errors.append(.forbidden(path + ".uniqueItems", "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"))
        }
        if schema["additionalProperties"]?.boolValue == false {
            errors.append(.forbidden(path + ".additionalProperties", "additionalProperties cannot be set to false"))
        }
        if schema["additionalProperties"] != nil, schema["properties"] != nil {
            errors.append(.forbidden(path + ".additionalProperties", "additionalProperties and properties are mutual exclusive"))
        }
        if type == "array", schema["items"] == nil {
            errors.append(.required(path + ".items", "must be specified"))
        }
        if schema["items"]?.arrayValue != nil {
            errors.append(.forbidden(path + ".items", "items must be a schema object and not an array"))
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
        for (name, property) in (schema["properties"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            check(property, path: path + ".properties[\(name)]", level: .property, errors: &errors)
        }
        if let items = schema["items"], items.objectValue != nil {
            check(items, path: path + ".items", level: .items, errors: &errors)
        }
        if let values = schema["additionalProperties"], values.objectValue != nil {
            check(values, path: path + ".additionalProperties", level: .additionalProperties, errors: &errors)
        }
        if let defaultValue = schema["default"], level != .root {
            let node = CustomResourceSchema(schema)
            SchemaValidator(root: node).validate(defaultValue, node, path: path + ".default", into: &errors)
        }
    }
}
