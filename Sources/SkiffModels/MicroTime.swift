import SkiffAPI

/// `meta/v1 MicroTime`: a time with microseconds, `2006-01-02T15:04:05.000000Z` on the wire.
public struct MicroTime: Codable, Sendable, Hashable, Comparable {
    /// The time, kept to the nanosecond; encoding truncates it to microseconds.
    public var timestamp: Timestamp

    public init(_ timestamp: Timestamp) {
        self.timestamp = timestamp
    }

    /// The current wall-clock time.
    public static func now() -> MicroTime { MicroTime(.now()) }

    public static func < (lhs: MicroTime, rhs: MicroTime) -> Bool { lhs.timestamp < rhs.timestamp }

    public init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        let text = try single.decode(String.self)
        guard let parsed = Timestamp(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(in: single, debugDescription: "not an RFC 3339 time: \(text)")
        }
        timestamp = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var single = encoder.singleValueContainer()
        try single.encode(timestamp.rfc3339Micro)
    }
}
