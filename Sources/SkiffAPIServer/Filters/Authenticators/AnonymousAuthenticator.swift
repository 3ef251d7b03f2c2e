import SkiffAPI

/// Takes a request without credentials as `system:anonymous` in `system:unauthenticated`
/// (upstream's `--anonymous-auth`); last in the union, so it answers only requests no other
/// authenticator took. A bearer token nobody accepted is refused (`401`), never anonymous, as
/// upstream's bearer token authenticator fails the request.
public struct AnonymousAuthenticator: Authenticator {
    public static let user = UserInfo(name: UserInfo.anonymous, groups: [UserInfo.allUnauthenticated])

    public init() {}

    public func authenticate(_ request: HTTPRequest) async throws -> UserInfo? {
        if BearerToken.of(request) != nil { throw AuthenticationError.invalidBearerToken }
        return Self.user
    }
}
