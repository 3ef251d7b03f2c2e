/// A value stored out of line, for a struct that contains itself (`JSONSchemaProps.not`).
///
/// Encodes and decodes exactly as the wrapped value; copies share storage until one is mutated.
public struct Indirect<Value> {
    fileprivate indirect enum Storage {
        case value(Value)
    }

    private var storage: Storage

    public init(_ value: Value) {
        storage = .value(value)
    }

    /// The wrapped value.
    public var value: Value {
        get {
            switch storage {
            case .value(let value): value
            }
        }
        set { storage = .value(newValue) }
    }
}

extension Indirect: Sendable where Value: Sendable {}
extension Indirect.Storage: Sendable where Value: Sendable {}

extension Indirect: Equatable where Value: Equatable {
    public static func == (lhs: Indirect, rhs: Indirect) -> Bool { lhs.value == rhs.value }
}

extension Indirect: Codable where Value: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try Value(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
    }
}
