/// One query parameter of a request.
public struct QueryItem: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Options sent as query parameters (`GetOptions`, `ListOptions`, `CreateOptions`…).
public protocol QueryOptions: Sendable {
    /// The options as query parameters; unset options are left out.
    var queryItems: [QueryItem] { get }
}
