import SkiffAPI

/// What an authorizer can list of a user's permissions in a namespace (upstream's
/// `authorizer.RuleResolver`), for `SelfSubjectRulesReview` and `kubectl auth can-i --list`.
public protocol RuleResolver: Sendable {
    func rules(for user: UserInfo, namespace: String) -> RuleResolution
}

/// A user's rules and whether the list is known to miss some.
public struct RuleResolution: Sendable, Hashable {
    public var rules: [PolicyRule] = []
    /// Some authorizer could not list everything it would allow.
    public var incomplete = false
    /// Why the list is incomplete.
    public var errors: [String] = []

    public init(rules: [PolicyRule] = [], incomplete: Bool = false, errors: [String] = []) {
        self.rules = rules
        self.incomplete = incomplete
        self.errors = errors
    }

    /// Every resource and every URL, as a superuser holds.
    static let everything = RuleResolution(rules: [.resources(["*"], groups: ["*"], ["*"]), .urls(["*"], ["*"])])
}

extension AlwaysAllowAuthorizer: RuleResolver {
    public func rules(for user: UserInfo, namespace: String) -> RuleResolution { .everything }
}

extension AlwaysDenyAuthorizer: RuleResolver {
    public func rules(for user: UserInfo, namespace: String) -> RuleResolution { RuleResolution() }
}

extension PrivilegedGroupAuthorizer: RuleResolver {
    func rules(for user: UserInfo, namespace: String) -> RuleResolution {
        user.groups.contains(UserInfo.privilegedGroup) ? .everything : RuleResolution()
    }
}

extension RBACAuthorizer: RuleResolver {
    public func rules(for user: UserInfo, namespace: String) -> RuleResolution {
        let (rules, errors) = source().rules(for: user, namespace: namespace)
        return RuleResolution(rules: rules, incomplete: !errors.isEmpty, errors: errors)
    }
}

extension NodeAuthorizer: RuleResolver {
    func rules(for user: UserInfo, namespace: String) -> RuleResolution {
        guard user.groups.contains(Self.nodesGroup) else { return RuleResolution() }
        return RuleResolution(incomplete: true, errors: ["node authorizer does not support user rule resolution"])
    }
}

extension UnionAuthorizer: RuleResolver {
    /// The rules of every authorizer that can list them; incomplete when one cannot.
    public func rules(for user: UserInfo, namespace: String) -> RuleResolution {
        var union = RuleResolution()
        for authorizer in authorizers {
            guard let resolver = authorizer as? any RuleResolver else {
                union.incomplete = true
                continue
            }
            let resolution = resolver.rules(for: user, namespace: namespace)
            union.rules += resolution.rules
            union.incomplete = union.incomplete || resolution.incomplete
            union.errors += resolution.errors
        }
        return union
    }
}
