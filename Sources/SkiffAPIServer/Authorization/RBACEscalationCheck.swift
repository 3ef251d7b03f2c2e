import SkiffAPI
import SkiffRegistry

/// Escalation prevention on writes of roles and bindings (upstream's policy-based RBAC storage):
/// a user may write a role granting only what they hold, unless allowed the `escalate` verb on
/// it, and may bind a role only when holding all it grants, unless allowed the `bind` verb on
/// it; `system:masters` may do both. Setting an `aggregationRule` needs every permission.
struct RBACEscalationCheck: ValidatingAdmissionPlugin {
    let authorizer: any Authorizer
    let policy: @Sendable () -> RBACPolicy

    var name: String { "RBACEscalation" }

    func handles(_ operation: AdmissionAttributes.Operation) -> Bool { operation == .create || operation == .update }

    func validate(_ attributes: AdmissionAttributes) async throws {
        guard attributes.resource.group == BootstrapPolicy.group, attributes.subresource.isEmpty,
            let object = attributes.object, !attributes.userInfo.groups.contains(UserInfo.privilegedGroup)
        else { return }
        switch attributes.resource.resource {
        case "roles", "clusterroles": try await validateRole(object, attributes)
        case "rolebindings", "clusterrolebindings": try await validateBinding(object, attributes)
        default: return
        }
    }

    private func validateRole(_ role: JSONValue, _ attributes: AdmissionAttributes) async throws {
        let rules = PolicyRule.rules(of: role)
        let aggregation = role["aggregationRule"]
        if let old = attributes.oldObject, PolicyRule.rules(of: old) == rules, old["aggregationRule"] == aggregation { return }
        if await allowed("escalate", resource: attributes.resource.resource, name: attributes.nameForErrors, attributes) { return }
        if let aggregation, !aggregation.isNull {
            let everything = [PolicyRule.resources(["*"], groups: ["*"], ["*"]), PolicyRule.urls(["*"], ["*"])]
            guard missing(everything, attributes).rules.isEmpty else {
                throw forbidden(attributes, "must have cluster-admin privileges to use the aggregationRule")
            }
        }
        try confirmNoEscalation(rules, attributes)
    }

    private func validateBinding(_ object: JSONValue, _ attributes: AdmissionAttributes) async throws {
        let binding = RBACBinding(json: object)
        if let old = attributes.oldObject, RBACBinding(json: old) == binding { return }
        let roleResource = binding.roleKind == "ClusterRole" ? "clusterroles" : "roles"
        if await allowed("bind", resource: roleResource, name: binding.roleName, attributes) { return }
        guard case .success(let rules) = policy().rules(of: binding) else {
            throw APIError.notFound(GroupResource(group: BootstrapPolicy.group, resource: roleResource), name: binding.roleName)
        }
        try confirmNoEscalation(rules, attributes)
    }

    /// Whether the authorizer allows `verb` on the role.
    private func allowed(_ verb: String, resource: String, name: String, _ attributes: AdmissionAttributes) async -> Bool {
        var info = RequestInfo(path: "", verb: verb)
        info.isResourceRequest = true
        info.apiGroup = BootstrapPolicy.group
        info.apiVersion = "v1"
        info.resource = resource
        info.namespace = attributes.namespace
        info.name = name
        return await authorizer.authorize(AuthorizationAttributes(user: attributes.userInfo, requestInfo: info)).verdict == .allow
    }

    private func missing(_ rules: [PolicyRule], _ attributes: AdmissionAttributes) -> (rules: [PolicyRule], errors: [String]) {
        let held = policy().rules(for: attributes.userInfo, namespace: attributes.namespace)
        return (PolicyRule.uncovered(rules, by: held.rules), held.errors)
    }

    /// Upstream's `ConfirmNoEscalation`: `403` listing what the user lacks, compacted and sorted.
    private func confirmNoEscalation(_ rules: [PolicyRule], _ attributes: AdmissionAttributes) throws {
        let (missing, errors) = missing(rules, attributes)
        guard !missing.isEmpty else { return }
        let user = attributes.userInfo
        let groups = "[" + user.groups.map { "\"\($0)\"" }.joined(separator: " ") + "]"
        var message = "user \"\(user.name)\" (groups=\(groups)) is attempting to grant RBAC permissions not currently held:\n"
            + PolicyRule.compacted(missing).map(\.compactDescription).sorted().joined(separator: "\n")
        if !errors.isEmpty { message += "; resolution errors: [" + errors.joined(separator: " ") + "]" }
        throw forbidden(attributes, message)
    }

    private func forbidden(_ attributes: AdmissionAttributes, _ message: String) -> APIError {
        let resource = GroupResource(group: attributes.resource.group, resource: attributes.resource.resource)
        let name = attributes.nameForErrors
        return .forbidden("\(resource) \"\(name)\" is forbidden: \(message)", resource: resource, name: name)
    }
}

extension PolicyRule {
    /// Single-valued rules merged back: rules on one group and resource without names share
    /// their verbs (upstream's `CompactRules`).
    static func compacted(_ rules: [PolicyRule]) -> [PolicyRule] {
        var merged: [PolicyRule] = []
        for rule in rules {
            let simple = rule.apiGroups.count == 1 && rule.resources.count == 1 && rule.resourceNames.isEmpty && rule.nonResourceURLs.isEmpty
            if simple, let index = merged.firstIndex(where: { $0.apiGroups == rule.apiGroups && $0.resources == rule.resources && $0.resourceNames.isEmpty && $0.nonResourceURLs.isEmpty }) {
                for verb in rule.verbs where !merged[index].verbs.contains(verb) { merged[index].verbs.append(verb) }
            } else {
                merged.append(rule)
            }
        }
        return merged
    }
}
