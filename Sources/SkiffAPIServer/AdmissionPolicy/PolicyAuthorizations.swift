import SkiffAPI
import SkiffCEL
import SkiffRegistry

/// The `authorizer` variable of one request's policy expressions and the decisions it carries.
/// CEL evaluates synchronously and authorizers answer asynchronously: an evaluation that asks
/// for a check not decided yet reports it pending; `authorize` decides the pending checks and
/// the caller evaluates again (each distinct check is decided once per request).
struct PolicyAuthorizations {
    /// At most this many evaluations of one policy and param (checks that only appear once
    /// others are decided need more than one round).
    static let maxRounds = 8

    let authorizer: any Authorizer
    let user: UserInfo
    /// The request's own resource (`authorizer.requestResource`).
    let request: CELAuthorizationCheck
    private var decisions: [CELAuthorizationCheck: CELAuthorizationDecision] = [:]
    /// The value of `authorizer` with the decisions so far.
    private(set) var value: CELValue

    init(authorizer: any Authorizer, attributes: AdmissionAttributes) {
        self.authorizer = authorizer
        user = attributes.userInfo
        request = CELAuthorizationCheck(group: attributes.resource.group, resource: attributes.resource.resource,
                                        subresource: attributes.subresource, namespace: attributes.namespace, name: attributes.name)
        value = CELAuthorizer.value(request: request, decisions: [:])
    }

    /// The outcome of the evaluation `make` gives for the current `value`, evaluated again after
    /// deciding the checks it found pending (at most `maxRounds` evaluations).
    mutating func outcome(of make: (CELValue) -> PolicyEvaluation) async -> PolicyEvaluation.Outcome {
        var outcome = PolicyEvaluation.Outcome()
        for _ in 0..<Self.maxRounds {
            var evaluation = make(value)
            outcome = evaluation.run()
            if evaluation.pendingChecks.isEmpty { break }
            await authorize(evaluation.pendingChecks)
        }
        return outcome
    }

    /// Decides `checks` (as the request's user, or the check's service account, as upstream's
    /// authz library does) and adds them to `value`.
    private mutating func authorize(_ checks: Set<CELAuthorizationCheck>) async {
        for check in checks where decisions[check] == nil {
            let decision = await authorizer.authorize(attributes(of: check))
            decisions[check] = CELAuthorizationDecision(allowed: decision.verdict == .allow, reason: decision.reason)
        }
        value = CELAuthorizer.value(request: request, decisions: decisions)
    }

    private func attributes(of check: CELAuthorizationCheck) -> AuthorizationAttributes {
        let user = check.serviceAccount.map {
            UserInfo(name: UserInfo.serviceAccountPrefix + $0.namespace + ":" + $0.name, groups: UserInfo.serviceAccountGroups(namespace: $0.namespace))
        } ?? self.user
        guard let path = check.path else {
            var info = RequestInfo(path: "", verb: check.verb)
            info.isResourceRequest = true
            info.apiGroup = check.group
            info.apiVersion = "*"
            info.resource = check.resource
            info.subresource = check.subresource
            info.namespace = check.namespace
            info.name = check.name
            return AuthorizationAttributes(user: user, requestInfo: info)
        }
        return AuthorizationAttributes(user: user, requestInfo: RequestInfo(path: path, verb: check.verb))
    }
}
