import SkiffAPI

/// One term of a node selector (`nodeSelectorTerms[]`, or a preference's `preference`): every
/// label expression and every field expression must match; a term with neither matches nothing.
public struct NodeSelectorTerm: Sendable, Hashable {
    /// A `matchExpressions` / `matchFields` entry.
    public struct Requirement: Sendable, Hashable {
        public var key: String
        public var `operator`: String
        public var values: [String]

        public init(json: JSONValue) {
            key = json["key"]?.stringValue ?? ""
            `operator` = json["operator"]?.stringValue ?? ""
            values = (json["values"]?.arrayValue ?? []).compactMap(\.stringValue)
        }

        /// Whether `value` (the label's or field's value, nil when absent) satisfies this requirement.
        public func matches(_ value: String?) -> Bool {
            switch `operator` {
            case "In": return value.map { values.contains($0) } ?? false
            case "NotIn": return value.map { !values.contains($0) } ?? true
            case "Exists": return value != nil
            case "DoesNotExist": return value == nil
            case "Gt", "Lt":
                guard values.count == 1, let bound = Int64(values[0]), let actual = value.flatMap({ Int64($0) }) else { return false }
                return `operator` == "Gt" ? actual > bound : actual < bound
            default: return false
            }
        }
    }

    public var expressions: [Requirement]
    public var fields: [Requirement]

    public init(json: JSONValue) {
        expressions = (json["matchExpressions"]?.arrayValue ?? []).map(Requirement.init(json:))
        fields = (json["matchFields"]?.arrayValue ?? []).map(Requirement.init(json:))
    }

    /// Whether a node with `labels` and `name` satisfies the term (fields: only `metadata.name`,
    /// as upstream).
    public func matches(labels: [String: String], name: String) -> Bool {
        guard !expressions.isEmpty || !fields.isEmpty else { return false }
        for requirement in expressions where !requirement.matches(labels[requirement.key]) { return false }
        for requirement in fields {
            guard requirement.key == "metadata.name", requirement.matches(name) else { return false }
        }
        return true
    }
}
