/// When the REST client sends a request again (client-go's `maxRetries` and `Retry-After`
/// handling): after `429 TooManyRequests` (or a 5xx with `Retry-After`) for every verb, waiting
/// what the server asks; after a connection failure for reads only, with exponential back-off.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts after the first (client-go: 10).
    public var maxRetries = 10
    /// The first wait after a connection failure; doubled every time, at most `maximumDelay`.
    public var initialDelay: Duration = .milliseconds(100)
    public var maximumDelay: Duration = .seconds(5)
    /// The longest `Retry-After` honoured.
    public var maximumRetryAfter: Duration = .seconds(60)

    public init(maxRetries: Int = 10, initialDelay: Duration = .milliseconds(100), maximumDelay: Duration = .seconds(5)) {
        self.maxRetries = maxRetries
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// Never retry.
    public static let none = RetryPolicy(maxRetries: 0)

    /// The wait before retry number `attempt` (1-based) after a connection failure.
    func backoff(attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        return min(initialDelay * (1 << exponent), maximumDelay)
    }

    /// The wait a `Retry-After` header asks for (seconds; at least 1 s when unreadable, as client-go).
    func retryAfter(_ header: String?) -> Duration {
        guard let header, let seconds = Int(header.filter { $0 != " " }), seconds > 0 else { return .seconds(1) }
        return min(.seconds(seconds), maximumRetryAfter)
    }
}
