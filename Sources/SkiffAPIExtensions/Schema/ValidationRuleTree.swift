import SkiffAPI
import SkiffCEL

/// A schema's `x-kubernetes-validations` compiled once, mirroring the schema only where rules
/// are: each node's rules, and the children under which more rules sit.
public struct ValidationRuleTree: Sendable {
    /// A rule that does not compile, at its schema path (`properties[spec].x-kubernetes-validations[0].rule`).
    public struct CompileError: Sendable {
        public var path: String
        public var rule: CELValidationRule
        public var failure: CELCompiledRule.CompileFailure
    }

    final class Node: Sendable {
        let rules: [CELCompiledRule]
        let properties: [String: Node]
        let additionalProperties: Node?
        let items: Node?
        let listMapKeys: [String]
        /// The node's schema type, which failures show as their value (`Invalid value: "string"`).
        let typeName: String

        init(rules: [CELCompiledRule], properties: [String: Node], additionalProperties: Node?, items: Node?, listMapKeys: [String],
             typeName: String) {
            self.rules = rules
            self.typeName = typeName
            self.properties = properties
            self.additionalProperties = additionalProperties
            self.items = items
            self.listMapKeys = listMapKeys
        }
    }

    let root: Node?

    /// Compiles every rule of `schema`; `errors` gets the rules that do not compile.
    public init(schema: CustomResourceSchema, errors: inout [CompileError]) {
        root = Self.compile(schema, path: "", isRoot: true, errors: &errors)
    }

    /// Compiles every rule of `schema`, leaving out those that do not compile (a stored CRD's
    /// rules were checked when it was written).
    public init(schema: CustomResourceSchema) {
        var ignored: [CompileError] = []
        self.init(schema: schema, errors: &ignored)
    }

    private static func compile(_ schema: CustomResourceSchema, path: String, isRoot: Bool, errors: inout [CompileError]) -> Node? {
        var properties: [String: Node] = [:]
        for (name, property) in schema.properties {
            if let node = compile(property, path: path + "properties[\(name)].", isRoot: false, errors: &errors) { properties[name] = node }
        }
        let additional = schema.additionalProperties.flatMap { compile($0, path: path + "additionalProperties.", isRoot: false, errors: &errors) }
        let items = schema.items.flatMap { compile($0, path: path + "items.", isRoot: false, errors: &errors) }
        var rules: [CELCompiledRule] = []
        let declared = CELValidationRule.rules(of: schema.json)
        if !declared.isEmpty {
            let celSchema = CELSchema(schema.json)
            for (index, rule) in declared.enumerated() {
                do {
                    rules.append(try CELCompiledRule.compile(rule, schema: celSchema, isResourceRoot: isRoot || schema.embeddedResource))
                } catch {
                    errors.append(CompileError(path: path + "x-kubernetes-validations[\(index)].\(error.field)", rule: rule, failure: error))
                }
            }
        }
        guard !rules.isEmpty || !properties.isEmpty || additional != nil || items != nil else { return nil }
        return Node(rules: rules, properties: properties, additionalProperties: additional, items: items,
                    listMapKeys: schema.listType == "map" ? schema.listMapKeys : [], typeName: schema.type ?? "")
    }

    /// Evaluates the rules against `object` within the per-object cost budget: without `old`,
    /// the rules that do not use `oldSelf`; with `old` (an update), only the transition rules.
    public func validate(_ object: JSONValue, old: JSONValue?) -> [FieldError] {
        guard let root else { return [] }
        var budget = CELProgram.Limits.runtimeBudget
        var errors: [FieldError] = []
        _ = validate(object, old: old, transitionsOnly: old != nil, root, path: "", budget: &budget, errors: &errors)
        return errors
    }

    /// Returns false once the budget is exhausted (no further rules run).
    private func validate(_ value: JSONValue, old: JSONValue?, transitionsOnly: Bool, _ node: Node, path: String,
                          budget: inout UInt64, errors: inout [FieldError]) -> Bool {
        for rule in node.rules where rule.usesOldSelf == transitionsOnly || (rule.rule.optionalOldSelf && !transitionsOnly) {
            guard let verdict = rule.validate(value, oldValue: old, fieldPath: path, budget: &budget) else { continue }
            var error = verdict.error
            if error.value != nil { error.value = .string(node.typeName) }
            errors.append(error)
            if verdict.exhaustedBudget { return false }
        }
        switch value {
        case .object(let members):
            for key in members.keys.sorted() {
                guard let child = node.properties[key] ?? node.additionalProperties else { continue }
                let childPath = SchemaValidator.child(path, key)
                if !validate(members[key]!, old: old?[key], transitionsOnly: transitionsOnly, child, path: childPath, budget: &budget, errors: &errors) { return false }
            }
        case .array(let elements):
            guard let items = node.items else { break }
            let oldElements = old?.arrayValue ?? []
            for (index, element) in elements.enumerated() {
                var oldElement: JSONValue?
                if !node.listMapKeys.isEmpty {
                    oldElement = oldElements.first { candidate in node.listMapKeys.allSatisfy { candidate[$0] == element[$0] } }
                }
                if !validate(element, old: oldElement, transitionsOnly: transitionsOnly, items, path: "\(path)[\(index)]", budget: &budget, errors: &errors) { return false }
            }
        default:
            break
        }
        return true
    }
}
