import SkiffAPI

/// Asks its authorizers in order (upstream's authorizer union): the first allow or deny decides;
/// when all have no opinion, the request is refused with their reasons joined.
public struct UnionAuthorizer: Authorizer {
    let authorizers: [any Authorizer]

    public init(_ authorizers: [any Authorizer]) {
        self.authorizers = authorizers
    }

    public func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
        var reasons: [String] = []
        for authorizer in authorizers {
            let decision = await authorizer.authorize(attributes)
            if decision.verdict != .noOpinion { return decision }
            if !decision.reason.isEmpty { reasons.append(decision.reason) }
        }
        return AuthorizationDecision(.noOpinion, reason: reasons.joined(separator: "\n"))
    }
}

/// Refuses everything (upstream's `AlwaysDeny` mode).
public struct AlwaysDenyAuthorizer: Authorizer {
    public init() {}

    public func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision { AuthorizationDecision(.deny) }
}

/// Lets `system:masters` do anything before any mode is asked (upstream's privileged-group
/// authorizer, always first).
struct PrivilegedGroupAuthorizer: Authorizer {
    func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
        attributes.user.groups.contains(UserInfo.privilegedGroup) ? AuthorizationDecision(.allow) : AuthorizationDecision(.noOpinion)
    }
}
