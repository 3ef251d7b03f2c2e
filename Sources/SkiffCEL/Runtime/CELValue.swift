import SkiffAPI

/// A runtime CEL value. Numbers keep CEL's three distinct kinds (no implicit conversion);
/// schema objects and maps are both `.map`, objects carrying their type name.
public enum CELValue: Sendable {
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case bool(Bool)
    case string(String)
    case bytes([UInt8])
    case null
    /// A duration in nanoseconds.
    case duration(Int128)
    case timestamp(Timestamp)
    case quantity(CELQuantity)
    case list([CELValue])
    case map(CELMap)
    /// A type value (`type(1) == int`).
    case type(String)
    /// An optional value (`oldSelf` with `optionalOldSelf`); nil is `optional.none()`.
    case optional(CELValueBox?)

    /// The value's CEL type name, as `type()` returns it.
    public var typeName: String {
        switch self {
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
        case .list: "list"
        case .map(let map): map.typeName ?? "map"
        case .type: "type"
        case .optional: "optional_type"
        }
    }
}

/// A box for an optional's wrapped value (enums cannot nest themselves without indirection).
public final class CELValueBox: Sendable {
    /// The wrapped value.
    public let value: CELValue
    /// Boxes a value.
    public init(_ value: CELValue) { self.value = value }
}

/// A map value: entries in insertion order with an index by key. Keys are ints, uints, bools or
/// strings; an int and a uint of the same value are the same key, as CEL's equality says.
public struct CELMap: Sendable {
    enum Key: Hashable, Sendable {
        case int(Int64), uint(UInt64), bool(Bool), string(String)
    }

    /// The entries, in insertion order.
    public private(set) var entries: [(key: CELValue, value: CELValue)] = []
    private var index: [Key: Int] = [:]
    /// The object type name for schema objects; nil for plain maps.
    public var typeName: String?

    /// An empty map.
    public init(typeName: String? = nil) { self.typeName = typeName }

    static func key(_ value: CELValue) -> Key? {
        switch value {
        case .int(let number): .int(number)
        case .uint(let number): number <= UInt64(Int64.max) ? .int(Int64(number)) : .uint(number)
        case .double(let number): Int64(exactly: number).map { .int($0) } ?? UInt64(exactly: number).map { .uint($0) }
        case .bool(let flag): .bool(flag)
        case .string(let text): .string(text)
        default: nil
        }
    }

    /// The number of entries.
    public var count: Int { entries.count }

    /// The value for `key`, nil when absent.
    public subscript(key: CELValue) -> CELValue? {
        guard let mapKey = Self.key(key), let position = index[mapKey] else { return nil }
        return entries[position].value
    }

    /// The value for a string key.
    public subscript(field: String) -> CELValue? {
        index[.string(field)].map { entries[$0].value }
    }

    /// Inserts an entry; false when the key is already present or not a valid key type.
    @discardableResult
    public mutating func insert(_ key: CELValue, _ value: CELValue) -> Bool {
        guard let mapKey = Self.key(key), index[mapKey] == nil, !(key.isDouble) else { return false }
        index[mapKey] = entries.count
        entries.append((key, value))
        return true
    }
}

extension CELValue {
    var isDouble: Bool {
        if case .double = self { return true }
        return false
    }
}
