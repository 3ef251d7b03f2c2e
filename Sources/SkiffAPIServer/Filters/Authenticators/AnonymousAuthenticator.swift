import SkiffAPI

/// Takes any request as `system:anonymous` in `system:unauthenticated` (upstream's
/// `--anonymous-auth`); last in the union, so it answers only requests without credentials.
public struct AnonymousAuthenticator: Authenticator {
    public static let user = UserInfo(name: UserInfo.anonymous, groups: [UserInfo.allUnauthenticated])

    public init() {}

    public func authenticate(_ request: HTTPRequest) async throws -> UserInfo? { Self.user }
}
