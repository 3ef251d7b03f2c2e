import SkiffAPI

/// Asks its authenticators in order (upstream's union): the first that knows the request
/// decides. When none does, an error from any of them refuses the request (`401`); only a
/// request none of them understood goes to the fallback (upstream's fail-on-error union with the
/// anonymous authenticator), so a bad token is never taken as anonymous. Every user but the
/// anonymous one is put in `system:authenticated` (upstream's `AuthenticatedGroupAdder`).
public struct UnionAuthenticator: Authenticator {
    let authenticators: [any Authenticator]
    let fallback: (any Authenticator)?

    public init(_ authenticators: [any Authenticator], fallback: (any Authenticator)? = nil) {
        self.authenticators = authenticators
        self.fallback = fallback
    }

    public func authenticate(_ request: HTTPRequest) async throws -> UserInfo? {
        var failure: (any Error)?
        for authenticator in authenticators {
            do {
                if let user = try await authenticator.authenticate(request) { return Self.addingAuthenticatedGroup(user) }
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
        return try await fallback?.authenticate(request)
    }

    private static func addingAuthenticatedGroup(_ user: UserInfo) -> UserInfo {
        var user = user
        let anonymous = user.name == UserInfo.anonymous || user.groups.contains(UserInfo.allUnauthenticated)
        if !anonymous && !user.groups.contains(UserInfo.allAuthenticated) { user.groups.append(UserInfo.allAuthenticated) }
        return user
    }
}
