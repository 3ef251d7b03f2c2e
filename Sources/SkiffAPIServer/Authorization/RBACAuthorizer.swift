import SkiffAPI

/// Role-based access control (upstream's `--authorization-mode=RBAC`): a request is allowed when
/// a binding naming the user grants a rule that covers it; otherwise RBAC has no opinion (the
/// next authorizer, or the refusal, decides).
public struct RBACAuthorizer: Authorizer {
    let source: @Sendable () -> RBACPolicy

    /// An authorizer over the policy `source` gives at each request.
    public init(source: @escaping @Sendable () -> RBACPolicy) {
        self.source = source
    }

    public func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
        let policy = source()
        var errors: [String] = []
        for binding in policy.bindings(naming: attributes.user, in: attributes.namespace) {
            guard let subject = binding.subject(naming: attributes.user) else { continue }
            switch policy.rules(of: binding) {
            case .failure(let error):
                errors.append(error.description)
            case .success(let rules):
                guard rules.contains(where: { $0.allows(attributes) }) else { continue }
                let subjectName = subject.kind == "ServiceAccount" ? "\(subject.namespace.isEmpty ? binding.namespace : subject.namespace)/\(subject.name)" : subject.name
                return AuthorizationDecision(.allow, reason: "RBAC: allowed by \(binding.describedName) of \(binding.roleKind) \"\(binding.roleName)\" to \(subject.kind) \"\(subjectName)\"")
            }
        }
        return AuthorizationDecision(.noOpinion, reason: errors.isEmpty ? "" : "RBAC: " + errors.joined(separator: ", "))
    }
}
