import SkiffAPI

/// Asks its authenticators in order (upstream's union with fail-on-error): the first that knows
/// the request decides; one that throws refuses the request (`401`) at once, so a bad token is
/// not taken as anonymous. Every user but the anonymous one is put in `system:authenticated`
/// (upstream's `AuthenticatedGroupAdder`).
public struct UnionAuthenticator: Authenticator {
    let authenticators: [any Authenticator]

    public init(_ authenticators: [any Authenticator]) {
        self.authenticators = authenticators
    }

    public func authenticate(_ request: HTTPRequest) async throws -> UserInfo? {
        for authenticator in authenticators {
            guard var user = try await authenticator.authenticate(request) else { continue }
            let anonymous = user.name == UserInfo.anonymous || user.groups.contains(UserInfo.allUnauthenticated)
            if !anonymous && !user.groups.contains(UserInfo.allAuthenticated) { user.groups.append(UserInfo.allAuthenticated) }
            return user
        }
        return nil
    }
}
