import SkiffAPI

/// What the policy decided for one request.
public struct AuditDecision: Sendable, Equatable {
    public var level: AuditLevel
    public var omitStages: Set<AuditStage>
    public var omitManagedFields: Bool
}

extension AuditPolicy {
    /// The level and omitted stages for a request by `user` (upstream's policy rule evaluator):
    /// the first matching rule's, `None` when none matches.
    public func decision(user: UserInfo, requestInfo: RequestInfo) -> AuditDecision {
        guard let rule = rules.first(where: { $0.matches(user: user, requestInfo: requestInfo) }) else {
            return AuditDecision(level: .none, omitStages: Set(omitStages ?? []), omitManagedFields: false)
        }
        return AuditDecision(level: rule.level, omitStages: Set((omitStages ?? []) + (rule.omitStages ?? [])),
                             omitManagedFields: rule.omitManagedFields ?? omitManagedFields ?? false)
    }
}

extension AuditPolicy.Rule {
    func matches(user: UserInfo, requestInfo: RequestInfo) -> Bool {
        if let users, !users.isEmpty, !users.contains(user.name) { return false }
        if let userGroups, !userGroups.isEmpty, !user.groups.contains(where: userGroups.contains) { return false }
        if let verbs, !verbs.isEmpty, !verbs.contains(requestInfo.verb) { return false }
        if !(namespaces ?? []).isEmpty || !(resources ?? []).isEmpty { return matchesResource(requestInfo) }
        if let nonResourceURLs, !nonResourceURLs.isEmpty {
            return !requestInfo.isResourceRequest && nonResourceURLs.contains { Self.path(requestInfo.path, matches: $0) }
        }
        return true
    }

    private func matchesResource(_ info: RequestInfo) -> Bool {
        guard info.isResourceRequest else { return false }
        if let namespaces, !namespaces.isEmpty, !namespaces.contains(info.namespace) { return false }
        guard let resources, !resources.isEmpty else { return true }
        let combined = info.subresource.isEmpty ? info.resource : info.resource + "/" + info.subresource
        for group in resources where (group.group ?? "") == info.apiGroup {
            guard let names = group.resources, !names.isEmpty else { return true }
            if let resourceNames = group.resourceNames, !resourceNames.isEmpty, !resourceNames.contains(info.name) { continue }
            for name in names {
                if name == combined || name == "*" { return true }
                if !info.subresource.isEmpty, name == "*/" + info.subresource { return true }
                if name.hasSuffix("/*"), info.resource == name.dropLast(2) { return true }
            }
        }
        return false
    }

    /// `*` matches every path, `/apis/*` every path under `/apis/`, otherwise the path itself.
    static func path(_ path: String, matches pattern: String) -> Bool {
        if pattern == "*" || pattern == path { return true }
        return pattern.hasSuffix("*") && path.hasPrefix(pattern.dropLast())
    }
}
