/// A CEL type, as the checker assigns it to expressions and declarations. Strings, bytes, lists
/// and maps may carry the largest size the schema allows (`maxLength`, `maxItems`,
/// `maxProperties`), which the cost estimator uses; sizes never affect type compatibility.
public struct CELType: Sendable, CustomStringConvertible {
    /// The shape of the type.
    public indirect enum Kind: Sendable {
        case int, uint, double, bool, string, bytes, null, duration, timestamp
        /// Kubernetes' `quantity()` values.
        case quantity
        /// Any value; checking is deferred to runtime.
        case dyn
        case list(CELType)
        case map(key: CELType, value: CELType)
        /// A schema object with declared properties (message-like: field selection is checked).
        case object(CELObjectType)
        /// The type of a type value (`type(1)` is `type(int)`).
        case type(CELType)
        /// A type parameter in a function signature (`A` in `size(list(A))`).
        case parameter(String)
        /// `optional_type(T)`, the type of `oldSelf` in rules with `optionalOldSelf`.
        case optional(CELType)
    }

    /// The shape.
    public var kind: Kind
    /// The largest size a value of this type can have, when known.
    public var maxSize: Int?

    /// A type of the given shape and size bound.
    public init(_ kind: Kind, maxSize: Int? = nil) {
        self.kind = kind
        self.maxSize = maxSize
    }

    public static let int = CELType(.int)
    public static let uint = CELType(.uint)
    public static let double = CELType(.double)
    public static let bool = CELType(.bool)
    public static let string = CELType(.string)
    public static let bytes = CELType(.bytes)
    public static let null = CELType(.null)
    public static let duration = CELType(.duration)
    public static let timestamp = CELType(.timestamp)
    public static let quantity = CELType(.quantity)
    public static let dyn = CELType(.dyn)
    static let parameterA = CELType(.parameter("A"))
    static let parameterB = CELType(.parameter("B"))

    /// `list(element)`.
    public static func list(_ element: CELType) -> CELType { CELType(.list(element)) }
    /// `map(key, value)`.
    public static func map(_ key: CELType, _ value: CELType) -> CELType { CELType(.map(key: key, value: value)) }

    /// The name as cel-go prints it (`list(string)`, `map(string, int)`, `google.protobuf.Timestamp`).
    public var description: String {
        switch kind {
        case .int: "int"
        case .uint: "uint"
        case .double: "double"
        case .bool: "bool"
        case .string: "string"
        case .bytes: "bytes"
        case .null: "null_type"
        case .duration: "google.protobuf.Duration"
        case .timestamp: "google.protobuf.Timestamp"
        case .quantity: "kubernetes.Quantity"
        case .dyn: "dyn"
        case .list(let element): "list(\(element))"
        case .map(let key, let value): "map(\(key), \(value))"
        case .object(let object): object.name
        case .type(let type): "type(\(type))"
        case .parameter(let name): name
        case .optional(let type): "optional_type(\(type))"
        }
    }

    var isDyn: Bool {
        if case .dyn = kind { return true }
        return false
    }

    /// Whether two types are the same, ignoring size bounds.
    func isSame(as other: CELType) -> Bool {
        switch (kind, other.kind) {
        case (.int, .int), (.uint, .uint), (.double, .double), (.bool, .bool), (.string, .string), (.bytes, .bytes),
            (.null, .null), (.duration, .duration), (.timestamp, .timestamp), (.quantity, .quantity), (.dyn, .dyn):
            return true
        case (.list(let left), .list(let right)), (.type(let left), .type(let right)), (.optional(let left), .optional(let right)):
            return left.isSame(as: right)
        case (.map(let leftKey, let leftValue), .map(let rightKey, let rightValue)):
            return leftKey.isSame(as: rightKey) && leftValue.isSame(as: rightValue)
        case (.object(let left), .object(let right)): return left.name == right.name
        case (.parameter(let left), .parameter(let right)): return left == right
        default: return false
        }
    }
}

/// An object type from a schema: its CEL name and its fields, keyed by their CEL names (property
/// names escaped as Kubernetes escapes them, e.g. `foo-bar` → `foo__dash__bar`).
public struct CELObjectType: Sendable {
    /// The type's name (`object` for anonymous schema objects, as Kubernetes names them by path).
    public var name: String
    /// The fields by CEL name.
    public var fields: [String: CELType]

    /// An object type.
    public init(name: String, fields: [String: CELType]) {
        self.name = name
        self.fields = fields
    }
}
