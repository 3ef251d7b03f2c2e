/// `metav1.Time` on the wire: an RFC 3339 string with seconds, in UTC.
extension Timestamp: Codable {
    public init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        let text = try single.decode(String.self)
        guard let parsed = Timestamp(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(in: single, debugDescription: "not an RFC 3339 time: \(text)")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var single = encoder.singleValueContainer()
        try single.encode(rfc3339)
    }
}
