/// `intstr.IntOrString`: a JSON number or string, such as a port (`8080` or `"http"`) or a
/// rolling-update bound (`1` or `"25%"`).
public enum IntOrString: Codable, Sendable, Hashable, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    case int(Int)
    case string(String)

    public init(integerLiteral value: Int) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }

    public init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if let value = try? single.decode(Int.self) {
            self = .int(value)
        } else {
            self = .string(try single.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var single = encoder.singleValueContainer()
        switch self {
        case .int(let value): try single.encode(value)
        case .string(let value): try single.encode(value)
        }
    }
}
