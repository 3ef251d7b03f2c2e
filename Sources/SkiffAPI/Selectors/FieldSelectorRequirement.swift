extension FieldSelector {
    /// One requirement on one field, as upstream's `fields.Requirement`.
    public struct Requirement: Sendable, Hashable {
        /// How a requirement relates its field to its value; the raw values are the string form.
        public enum Operator: String, Sendable, Hashable, CaseIterable {
            /// `field=value` (also written `field==value`).
            case equals = "="
            /// `field!=value`.
            case notEquals = "!="
        }

        /// The field name, e.g. `metadata.name` or `spec.nodeName`.
        public let field: String
        public let `operator`: Operator
        /// The value, unescaped.
        public let value: String

        /// A requirement on `field`; any strings are allowed, as upstream.
        public init(field: String, operator: Operator, value: String) {
            self.field = field
            self.operator = `operator`
            self.value = value
        }

        /// Whether the requirement holds for `fields`, where a missing field is the empty string.
        /// Values compare byte for byte, as upstream.
        public func matches(_ fields: [String: String]) -> Bool {
            let equal = (fields[field] ?? "").utf8.elementsEqual(value.utf8)
            return `operator` == .equals ? equal : !equal
        }
    }
}
