import SkiffAPI

/// Decodes an object against its kind's schema as upstream's decoding into Go types does:
/// fields the schema does not define are removed and reported
/// (`spec.template.spec.containers[0].imagee`) for field validation, `null` fields are dropped,
/// quantities given as numbers become strings, and a value of the wrong JSON type is reported
/// with Go's message. Maps (`additionalProperties`), embedded raw JSON and
/// `x-kubernetes-preserve-unknown-fields` keep whatever they hold.
public struct UnknownFieldPruner: Sendable {
    let definitions: [String: JSONValue]
    let rootName: String

    /// What decoding found.
    public struct Result: Sendable {
        /// The object without unknown and `null` fields.
        public var object: JSONValue
        /// The unknown fields' paths, in document order.
        public var unknownFields: [String]
        /// The first type mismatch, in Go's words
        /// (`json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`).
        public var typeError: String?
    }

    /// A pruner for a definition (e.g. `io.k8s.api.apps.v1.Deployment`); nil when unknown.
    public init?(definition name: String, definitions: [String: JSONValue] = BuiltinSchemas.definitions) {
        guard definitions[name] != nil else { return nil }
        self.definitions = definitions
        self.rootName = name
    }

    /// Decodes `object`.
    public func prune(_ object: JSONValue) -> Result {
        var walk = Walk(definitions: definitions)
        let pruned = walk.prune(object, schema: ["$ref": .string("#/definitions/" + rootName)],
                                at: Location(path: "", fields: [], structName: Self.shortName(rootName)))
        return Result(object: pruned, unknownFields: walk.unknown, typeError: walk.typeError)
    }

    static func shortName(_ definition: String) -> String {
        String(definition.split(separator: ".").last ?? "")
    }

    /// Where a value is: its path for unknown-field reports, and its Go field path for type errors.
    struct Location {
        var path: String
        var fields: [String]
        var structName: String

        func member(_ key: String) -> Location {
            Location(path: path.isEmpty ? key : "\(path).\(key)", fields: fields + [key], structName: structName)
        }

        func entry(_ key: String) -> Location {
            Location(path: "\(path)[\(key)]", fields: fields, structName: structName)
        }
    }

    private struct Walk {
        let definitions: [String: JSONValue]
        var unknown: [String] = []
        var typeError: String?

        mutating func prune(_ value: JSONValue, schema declared: JSONValue, at location: Location) -> JSONValue {
            let reference = declared["$ref"]?.stringValue
            let schema = BuiltinSchemas.resolve(declared, in: definitions)
            if reference?.hasSuffix(".Quantity") == true, case .int = value { return .string(value.serializedString()) }
            if reference?.hasSuffix(".Quantity") == true, case .double = value { return .string(value.serializedString()) }
            if let expected = mismatch(value, schema) {
                if typeError == nil {
                    typeError = "json: cannot unmarshal \(expected) into Go struct field \(location.structName)."
                        + "\(location.fields.joined(separator: ".")) of type \(goType(declared))"
                }
                return value
            }
            switch value {
            case .object(let members):
                if schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true { return value }
                if let properties = schema["properties"]?.objectValue {
                    var inner = location
                    if let reference { inner.structName = UnknownFieldPruner.shortName(reference) }
                    var kept: [String: JSONValue] = [:]
                    for key in members.keys.sorted() {
                        let member = members[key]!
                        guard let property = properties[key] else {
                            unknown.append(location.member(key).path)
                            continue
                        }
                        if member.isNull { continue }
                        kept[key] = prune(member, schema: property, at: inner.member(key))
                    }
                    return .object(kept)
                }
                if let valueSchema = schema["additionalProperties"], valueSchema.objectValue != nil {
                    var kept: [String: JSONValue] = [:]
                    for (key, member) in members {
                        kept[key] = prune(member, schema: valueSchema, at: location.entry(key))
                    }
                    return .object(kept)
                }
                return value
            case .array(let elements):
                guard let items = schema["items"] else { return value }
                return .array(elements.enumerated().map { index, element in
                    prune(element, schema: items, at: location.entry(String(index)))
                })
            default:
                return value
            }
        }

        /// The JSON type of `value` in Go's words when the schema's type does not admit it.
        private func mismatch(_ value: JSONValue, _ schema: JSONValue) -> String? {
            guard let type = schema["type"]?.stringValue, !value.isNull else { return nil }
            let admitted: Bool
            switch (type, value) {
            case ("string", .string), ("boolean", .bool), ("integer", .int), ("number", .int), ("number", .double),
                 ("object", .object), ("array", .array):
                admitted = true
            case ("string", .int) where schema["format"]?.stringValue == "int-or-string":
                admitted = true
            default:
                admitted = false
            }
            if admitted { return nil }
            switch value {
            case .string: return "string"
            case .bool: return "bool"
            case .int, .double: return "number"
            case .object: return "object"
            case .array: return "array"
            case .null: return nil
            }
        }

        /// The Go type a schema decodes into, as Go's errors name it (`int32`, `[]v1.Container`).
        private func goType(_ declared: JSONValue) -> String {
            if let reference = declared["$ref"]?.stringValue {
                let parts = reference.split(separator: "/").last.map { $0.split(separator: ".") } ?? []
                return parts.count >= 2 ? "\(parts[parts.count - 2]).\(parts[parts.count - 1])" : String(parts.last ?? "")
            }
            switch declared["type"]?.stringValue {
            case "integer": return declared["format"]?.stringValue == "int32" ? "int32" : "int64"
            case "number": return "float64"
            case "boolean": return "bool"
            case "string": return "string"
            case "array": return "[]" + goType(declared["items"] ?? .emptyObject)
            case "object":
                if let values = declared["additionalProperties"] { return "map[string]" + goType(values) }
                return "map[string]interface {}"
            default: return "interface {}"
            }
        }
    }
}
