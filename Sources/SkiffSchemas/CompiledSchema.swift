import SkiffAPI
import Synchronization

/// The schema of a kind compiled from OpenAPI definitions into a graph of nodes, so that walking
/// an object (decoding against the schema, server-side apply) costs no lookups in the definition
/// table. Nodes of one definition are shared by reference; recursive definitions (such as
/// `JSONSchemaProps`) are cycles.
public final class CompiledSchema: StructuralSchema, @unchecked Sendable {
    // @unchecked Sendable: nodes and their contents are mutated only by `Compiler` while the graph
    // is built, before its root is handed out; afterwards everything is read-only.

    /// What a node's children are; shared by every use of one definition.
    final class Content {
        var properties: [String: CompiledSchema] = [:]
        var mapValues: CompiledSchema?
        var elements: CompiledSchema?
    }

    /// The JSON type (`string`, `integer`, `number`, `boolean`, `object`, `array`), nil when any.
    public let type: String?
    /// `format` (`int32`, `int-or-string`, `date-time`, …).
    public let format: String?
    /// Objects that keep fields the schema does not declare (`x-kubernetes-preserve-unknown-fields`).
    public let preservesUnknownFields: Bool
    /// The definition this node is (`io.k8s.api.apps.v1.DeploymentSpec`), nil for inline schemas.
    public let definition: String?
    /// The Go type name of the definition (`DeploymentSpec`), as decoding errors name structs.
    public let structName: String?
    public let shape: StructuralShape
    /// The server's default for the field, where key fields of list elements need it.
    public let defaultValue: JSONValue?
    let content: Content

    init(declared: JSONValue, resolved: JSONValue, definition: String?, content: Content, defaultValue: JSONValue? = nil) {
        self.defaultValue = defaultValue ?? resolved["default"]
        self.type = resolved["type"]?.stringValue
        self.format = resolved["format"]?.stringValue
        self.preservesUnknownFields = resolved["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
        self.definition = definition
        self.structName = definition.map { String($0.split(separator: ".").last ?? "") }
        self.shape = Self.shape(declared: declared, resolved: resolved)
        self.content = content
    }

    /// The compiled schema of a built-in definition (e.g. `io.k8s.api.apps.v1.Deployment`), or nil
    /// if unknown. Compiled once per process.
    public static func builtin(_ name: String) -> CompiledSchema? {
        if let cached = builtinCache.withLock({ $0[name] }) { return cached }
        guard let compiled = compile(definition: name) else { return nil }
        return builtinCache.withLock { cache in
            if let existing = cache[name] { return existing }
            cache[name] = compiled
            return compiled
        }
    }

    private static let builtinCache = Mutex<[String: CompiledSchema]>([:])

    /// Compiles a definition of `definitions`, or nil if there is none by that name.
    public static func compile(definition name: String, definitions: [String: JSONValue] = BuiltinSchemas.definitions) -> CompiledSchema? {
        guard definitions[name] != nil else { return nil }
        var compiler = Compiler(definitions: definitions)
        return compiler.definition(name)
    }

    /// The schema of a declared property.
    public func property(_ name: String) -> (any StructuralSchema)? { content.properties[name] }
    /// The schema of a declared property, as a compiled node.
    public func compiledProperty(_ name: String) -> CompiledSchema? { content.properties[name] }
    /// Whether the node declares properties (a structure rather than a map).
    public var declaresProperties: Bool { !content.properties.isEmpty }
    public var mapValues: (any StructuralSchema)? { content.mapValues }
    /// The schema of a map's values, as a compiled node.
    public var compiledMapValues: CompiledSchema? { content.mapValues }
    public var elements: (any StructuralSchema)? { content.elements }
    /// The schema of a list's elements, as a compiled node.
    public var compiledElements: CompiledSchema? { content.elements }

    /// Builds the node graph, one shared node per definition.
    private struct Compiler {
        let definitions: [String: JSONValue]
        var compiled: [String: CompiledSchema] = [:]

        mutating func definition(_ name: String) -> CompiledSchema {
            if let node = compiled[name] { return node }
            let schema = definitions[name] ?? .emptyObject
            let node = CompiledSchema(declared: schema, resolved: schema, definition: name, content: Content())
            compiled[name] = node
            fill(node.content, from: schema, definition: name)
            return node
        }

        /// The node of a schema as written where it is used; its own extensions win over those of
        /// the definition it refers to.
        mutating func node(_ declared: JSONValue) -> CompiledSchema {
            if let name = Self.referencedDefinition(declared) {
                let target = definition(name)
                let overrides = declared.objectValue?.keys.contains { $0.hasPrefix("x-kubernetes-") } ?? false
                guard overrides else { return target }
                return CompiledSchema(declared: declared, resolved: definitions[name] ?? .emptyObject, definition: name,
                                      content: target.content)
            }
            let node = CompiledSchema(declared: declared, resolved: declared, definition: nil, content: Content())
            fill(node.content, from: declared)
            return node
        }

        private mutating func fill(_ content: Content, from schema: JSONValue, definition: String? = nil) {
            for (name, property) in schema["properties"]?.objectValue ?? [:] {
                if let definition, let value = CompiledSchema.keyDefaults[definition]?[name] {
                    content.properties[name] = CompiledSchema(declared: property, resolved: property, definition: nil,
                                                              content: Content(), defaultValue: value)
                } else {
                    content.properties[name] = node(property)
                }
            }
            if let values = schema["additionalProperties"], values.objectValue != nil { content.mapValues = node(values) }
            if let items = schema["items"] { content.elements = node(items) }
        }

        static func referencedDefinition(_ schema: JSONValue) -> String? {
            guard let reference = schema["$ref"]?.stringValue ?? schema["allOf"]?.arrayValue?.first?["$ref"]?.stringValue,
                  let slash = reference.lastIndex(of: "/") else { return nil }
            return String(reference[reference.index(after: slash)...])
        }
    }

    /// Defaults of list-map key fields that upstream's published schemas carry and the v2
    /// definitions do not: a port without `protocol` is keyed as `TCP`.
    static let keyDefaults: [String: [String: JSONValue]] = [
        "io.k8s.api.core.v1.ContainerPort": ["protocol": "TCP"],
        "io.k8s.api.core.v1.ServicePort": ["protocol": "TCP"],
    ]

    /// How a value of a schema merges under server-side apply.
    static func shape(declared: JSONValue, resolved schema: JSONValue) -> StructuralShape {
        func extensionValue(_ name: String) -> JSONValue? { declared[name] ?? schema[name] }
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
}
