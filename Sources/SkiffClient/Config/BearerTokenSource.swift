/// Supplies the bearer token of each request, for tokens that expire and are renewed
/// (client-go's `oauth2.TokenSource` as its controller client builder uses it). Set as
/// `ClientConfiguration.bearerTokenSource`, it takes precedence over the static token.
public protocol BearerTokenSource: Sendable {
    /// The token to send now.
    func token() async throws -> String
}
