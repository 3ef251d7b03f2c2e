import SkiffAPI

/// Decodes an object against its kind's schema as upstream's decoding into Go types does:
/// fields the schema does not define are removed and reported
/// (`spec.template.spec.containers[0].imagee`) for field validation, `null` fields are dropped,
/// quantities given as numbers become strings, and a value of the wrong JSON type is reported
/// with Go's message. Maps (`additionalProperties`), embedded raw JSON and
/// `x-kubernetes-preserve-unknown-fields` keep whatever they hold.
public struct UnknownFieldPruner: Sendable {
    let root: CompiledSchema

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

    /// A pruner for a built-in definition (e.g. `io.k8s.api.apps.v1.Deployment`); nil when unknown.
    public init?(definition name: String) {
        guard let root = CompiledSchema.builtin(name) else { return nil }
        self.root = root
    }

    /// Decodes `object`.
    public func prune(_ object: JSONValue) -> Result {
        var walk = Walk()
        let pruned = walk.prune(object, root)
        return Result(object: pruned, unknownFields: walk.unknown, typeError: walk.typeError)
    }

    /// The walk's state: where it is (kept as steps, rendered only when something is reported).
    private struct Walk {
        enum Step {
            case member(String)
            case entry(String)
        }

        var unknown: [String] = []
        var typeError: String?
        var steps: [Step] = []
        var structs: [String] = []

        mutating func prune(_ value: JSONValue, _ schema: CompiledSchema) -> JSONValue {
            if schema.definition?.hasSuffix(".Quantity") == true {
                switch value {
                case .int, .double: return .string(value.serializedString())
                default: break
                }
            }
            if let found = Self.mismatch(value, schema) {
                if typeError == nil {
                    let fields = steps.compactMap { step -> String? in if case .member(let name) = step { name } else { nil } }
                    typeError = "json: cannot unmarshal \(found) into Go struct field \(structs.last ?? "").\(fields.joined(separator: "."))"
                        + " of type \(Self.goType(schema))"
                }
                return value
            }
            switch value {
            case .object(let members):
                if schema.preservesUnknownFields { return value }
                if schema.declaresProperties {
                    if let name = schema.structName { structs.append(name) }
                    defer { if schema.structName != nil { structs.removeLast() } }
                    var kept: [String: JSONValue] = [:]
                    kept.reserveCapacity(members.count)
                    for key in members.keys.sorted() {
                        let member = members[key]!
                        guard let property = schema.compiledProperty(key) else {
                            unknown.append(path(adding: .member(key)))
                            continue
                        }
                        if member.isNull { continue }
                        steps.append(.member(key))
                        kept[key] = prune(member, property)
                        steps.removeLast()
                    }
                    return .object(kept)
                }
                if let values = schema.compiledMapValues {
                    var kept: [String: JSONValue] = [:]
                    kept.reserveCapacity(members.count)
                    for (key, member) in members {
                        steps.append(.entry(key))
                        kept[key] = prune(member, values)
                        steps.removeLast()
                    }
                    return .object(kept)
                }
                return value
            case .array(let elements):
                guard let items = schema.compiledElements else { return value }
                var result: [JSONValue] = []
                result.reserveCapacity(elements.count)
                for (index, element) in elements.enumerated() {
                    steps.append(.entry(String(index)))
                    result.append(prune(element, items))
                    steps.removeLast()
                }
                return .array(result)
            default:
                return value
            }
        }

        /// The path of the current position plus `last`, as field validation reports it.
        func path(adding last: Step) -> String {
            var text = ""
            for step in steps + [last] {
                switch step {
                case .member(let name): text += text.isEmpty ? name : "." + name
                case .entry(let key): text += "[\(key)]"
                }
            }
            return text
        }

        /// The JSON type of `value` in Go's words when the schema's type does not admit it.
        static func mismatch(_ value: JSONValue, _ schema: CompiledSchema) -> String? {
            guard let type = schema.type, !value.isNull else { return nil }
            switch (type, value) {
            case ("string", .string), ("boolean", .bool), ("integer", .int), ("number", .int), ("number", .double),
                 ("object", .object), ("array", .array):
                return nil
            case ("string", .int) where schema.format == "int-or-string":
                return nil
            default:
                break
            }
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
        static func goType(_ schema: CompiledSchema) -> String {
            if let definition = schema.definition {
                let parts = definition.split(separator: ".")
                return parts.count >= 2 ? "\(parts[parts.count - 2]).\(parts[parts.count - 1])" : definition
            }
            switch schema.type {
            case "integer": return schema.format == "int32" ? "int32" : "int64"
            case "number": return "float64"
            case "boolean": return "bool"
            case "string": return "string"
            case "array": return "[]" + (schema.compiledElements.map(goType) ?? "interface {}")
            case "object": return "map[string]" + (schema.compiledMapValues.map(goType) ?? "interface {}")
            default: return "interface {}"
            }
        }
    }
}
