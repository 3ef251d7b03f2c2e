/// `resource.Quantity`: an amount such as `500m`, `128Mi` or `1e3`, kept as the string the API
/// carries (parsing and arithmetic are not modelled).
public struct Quantity: Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The quantity as written, e.g. `250m`.
    public var string: String

    public init(_ string: String) { self.string = string }
    public init(stringLiteral value: String) { string = value }

    public var description: String { string }

    /// Decodes the canonical string form, and also a bare JSON number, as upstream accepts both.
    public init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if let text = try? single.decode(String.self) {
            string = text
        } else if let integer = try? single.decode(Int64.self) {
            string = String(integer)
        } else {
            string = String(try single.decode(Double.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var single = encoder.singleValueContainer()
        try single.encode(string)
    }
}
