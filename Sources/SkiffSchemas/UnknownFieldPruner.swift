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
        return Result(object: pruned ?? object, unknownFields: walk.unknown, typeError: walk.typeError)
    }

    /// The walk's state: where it is (kept as steps, rendered only when something is reported).
    ///
    /// Most bodies have nothing to remove: the walk copies only what changes, and visits a
    /// structure's members in storage order; only a structure under which something is reported
    /// is walked again in member name order, so reports come in document order.
    private struct Walk {
        enum Step {
            case member(String)
            case entry(String)
        }

        var unknown: [String] = []
        var typeError: String?
        var steps: [Step] = []
        var structs: [String] = []

        /// `value` decoded against `schema`; nil when decoding changes nothing in it.
        mutating func prune(_ value: JSONValue, _ schema: CompiledSchema) -> JSONValue? {
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
                return nil
            }
            switch value {
            case .object(let members):
                if schema.preservesUnknownFields { return nil }
                if schema.declaresProperties {
                    if let name = schema.structName { structs.append(name) }
                    defer { if schema.structName != nil { structs.removeLast() } }
                    let (reported, hadTypeError) = (unknown.count, typeError != nil)
                    let changes = pruneStruct(members, schema, keys: members.keys)
                    if unknown.count != reported || (typeError != nil) != hadTypeError {
                        // Something was reported: again in document order, for the reports' order.
                        unknown.removeSubrange(reported...)
                        if !hadTypeError { typeError = nil }
                        return Self.applying(pruneStruct(members, schema, keys: members.keys.sorted()), to: members)
                    }
                    return Self.applying(changes, to: members)
                }
                if let values = schema.compiledMapValues {
                    var changes: [(key: String, value: JSONValue?)] = []
                    for (key, member) in members {
                        steps.append(.entry(key))
                        if let pruned = prune(member, values) { changes.append((key, pruned)) }
                        steps.removeLast()
                    }
                    return Self.applying(changes, to: members)
                }
                return nil
            case .array(let elements):
                guard let items = schema.compiledElements else { return nil }
                var result: [JSONValue]?
                for (index, element) in elements.enumerated() {
                    steps.append(.entry(String(index)))
                    if let pruned = prune(element, items) {
                        if result == nil { result = elements }
                        result?[index] = pruned
                    }
                    steps.removeLast()
                }
                return result.map(JSONValue.array)
            default:
                return nil
            }
        }

        /// The members of a structure that decoding changes, visited in the order of `keys`: a
        /// member the schema does not declare (reported) and a `null` are removed (nil).
        private mutating func pruneStruct(_ members: [String: JSONValue], _ schema: CompiledSchema,
                                          keys: some Sequence<String>) -> [(key: String, value: JSONValue?)] {
            var changes: [(key: String, value: JSONValue?)] = []
            for key in keys {
                let member = members[key]!
                guard let property = schema.compiledProperty(key) else {
                    unknown.append(path(adding: .member(key)))
                    changes.append((key, nil))
                    continue
                }
                if member.isNull {
                    changes.append((key, nil))
                    continue
                }
                steps.append(.member(key))
                if let pruned = prune(member, property) { changes.append((key, pruned)) }
                steps.removeLast()
            }
            return changes
        }

        /// `members` with `changes` made (nil removes a member); nil when there are none.
        private static func applying(_ changes: [(key: String, value: JSONValue?)], to members: [String: JSONValue]) -> JSONValue? {
            guard !changes.isEmpty else { return nil }
            var changed = members
            for change in changes { changed[change.key] = change.value }
            return .object(changed)
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
