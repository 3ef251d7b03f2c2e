/// A node of a parsed CEL expression. Every node carries an id (unique within one expression,
/// used by the checker to record types) and the source position it was parsed from.
public struct CELExpr: Sendable {
    /// A literal value.
    public enum Literal: Sendable, Equatable {
        case int(Int64), uint(UInt64), double(Double), string(String), bytes([UInt8]), bool(Bool), null
    }

    /// The macros that expand into comprehensions.
    public enum ComprehensionKind: String, Sendable {
        case all, exists
        case existsOne = "exists_one"
        case map, filter
    }

    /// A comprehension (the expansion of `all`, `exists`, `exists_one`, `map`, `filter`).
    public struct Comprehension: Sendable {
        /// Which macro this is.
        public var kind: ComprehensionKind
        /// The iteration variable.
        public var variable: String
        /// The list or map iterated over.
        public var range: CELExpr
        /// The predicate (`all`, `exists`, `exists_one`, `filter`, the filter of 3-argument `map`).
        public var predicate: CELExpr?
        /// The transform of `map`.
        public var transform: CELExpr?
    }

    /// What the node is.
    public indirect enum Kind: Sendable {
        case literal(Literal)
        case identifier(String)
        /// `operand.field`; `test` is true for `has(operand.field)`.
        case select(operand: CELExpr, field: String, test: Bool)
        /// A global call (`size(x)`, operators as `_+_`, `_[_]`, `_?_:_`, `!_`, `-_`) or a
        /// receiver-style call (`x.startsWith(y)`).
        case call(function: String, target: CELExpr?, arguments: [CELExpr])
        case list([CELExpr])
        case map([(key: CELExpr, value: CELExpr)])
        case comprehension(Comprehension)
    }

    /// The node id.
    public var id: Int
    /// What the node is.
    public var kind: Kind
    /// Where the node starts in the source.
    public var position: CELSourcePosition
}
