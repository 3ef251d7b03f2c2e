/// How the server treats fields it does not know (`fieldValidation`).
public struct FieldValidation: RawRepresentable, Sendable, Hashable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Reject the request.
    public static let strict = FieldValidation(rawValue: "Strict")
    /// Drop the fields and say so in a `Warning` header (the server's default).
    public static let warn = FieldValidation(rawValue: "Warn")
    /// Drop the fields silently.
    public static let ignore = FieldValidation(rawValue: "Ignore")

    /// The mode a request's `fieldValidation` parameter asks for: `Warn` when it is absent or
    /// empty, a `400` for a value other than the three.
    public init(query: QueryParameters) throws(APIError) {
        let value = query["fieldValidation"] ?? ""
        let mode = value.isEmpty ? .warn : FieldValidation(rawValue: value)
        guard [.strict, .warn, .ignore].contains(mode) else {
            throw APIError.badRequest("fieldValidation parameter unsupported: \(value)")
        }
        self = mode
    }
}
