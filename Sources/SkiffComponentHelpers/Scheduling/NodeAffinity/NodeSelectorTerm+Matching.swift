import SkiffModels

extension CoreV1.NodeSelectorRequirement {
    /// Whether `value` (the label's or field's value, nil when absent) satisfies this requirement
    /// (upstream's `nodeaffinity` selector requirements): `In`, `NotIn`, `Exists`, `DoesNotExist`,
    /// and `Gt`/`Lt` with one integer value; any other operator matches nothing.
    public func matches(_ value: String?) -> Bool {
        let values = self.values ?? []
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

extension CoreV1.NodeSelectorTerm {
    /// Whether a node with `labels` and `name` satisfies the term: every label expression and
    /// every field expression (only `metadata.name`, as upstream) must match; a term with neither
    /// matches nothing.
    public func matches(labels: [String: String], name: String) -> Bool {
        let expressions = matchExpressions ?? []
        let fields = matchFields ?? []
        guard !expressions.isEmpty || !fields.isEmpty else { return false }
        for requirement in expressions where !requirement.matches(labels[requirement.key]) { return false }
        for requirement in fields {
            guard requirement.key == "metadata.name", requirement.matches(name) else { return false }
        }
        return true
    }
}

extension CoreV1.NodeSelector {
    /// Whether one of the terms matches a node with `labels` and `name` (terms are ORed; no
    /// terms match nothing).
    public func matches(labels: [String: String], name: String) -> Bool {
        nodeSelectorTerms.contains { $0.matches(labels: labels, name: name) }
    }
}
