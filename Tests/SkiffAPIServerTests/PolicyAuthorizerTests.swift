import SkiffAPI
@testable import SkiffAPIServer
import SkiffCEL
import SkiffRegistry
import Synchronization
import Testing

/// Allows `jane` everything but secrets, a `reader` service account to get secrets, anyone
/// `/healthz`; records what it was asked.
final class RecordingAuthorizer: Authorizer {
    let asked = Mutex<[AuthorizationAttributes]>([])

    func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
        asked.withLock { $0.append(attributes) }
        if !attributes.isResourceRequest && attributes.path == "/healthz" { return AuthorizationDecision(.allow, reason: "health is public") }
        if attributes.user.name == "system:serviceaccount:default:reader", attributes.resource == "secrets", attributes.verb == "get" {
            return AuthorizationDecision(.allow, reason: "the reader reads secrets")
        }
        if attributes.user.name == "jane", attributes.resource != "secrets" { return AuthorizationDecision(.allow, reason: "jane may") }
        return AuthorizationDecision(.noOpinion, reason: "no rule for \(attributes.user.name)")
    }
}

/// ValidatingAdmissionPolicy expressions asking the authorizer (`authorizer`,
/// `authorizer.requestResource`, `serviceAccount`, `path`), through the router.
@Suite struct PolicyAuthorizerTests {
    @Test func expressionsAskTheAuthorizerAsTheRequestingUser() async throws {
        let authorizer = RecordingAuthorizer()
        var options = ValidatingAdmissionPolicyTests.options
        options.authenticator = FixedAuthenticator(user: UserInfo(name: "jane", groups: [UserInfo.allAuthenticated]))
        options.authorizer = { _ in authorizer }
        try await APIServerHarness.with(.router, options: options) { server in
            let secrets = "authorizer.group('').resource('secrets').namespace(object.metadata.namespace).check('get')"
            try await ValidatingAdmissionPolicyTests.configure(server, policies: [
                ValidatingAdmissionPolicyTests.policy("secret-readers", validations: [
                    ["expression": .string("object.metadata.name != 'needs-secrets' || \(secrets).allowed()"),
                     "messageExpression": .string("'cannot read secrets: ' + \(secrets).reason()")],
                    ["expression": """
                        authorizer.requestResource.check('create').allowed() && authorizer.path('/healthz').check('get').allowed() \
                        && authorizer.serviceAccount('default', 'reader').group('').resource('secrets').namespace('default').check('get').allowed()
                        """],
                ]),
            ], bindings: [ValidatingAdmissionPolicyTests.binding("secret-readers", policy: "secret-readers")])
            authorizer.asked.withLock { $0 = [] }
            let fine = try await ValidatingAdmissionPolicyTests.createConfigMap(server, "fine")
            #expect(fine.status == 201, "\(fine.text)")
            // The request's own resource, as `requestResource` gives it (any version).
            let asked = authorizer.asked.withLock { $0 }
            let own = try #require(asked.first { $0.resource == "configmaps" && $0.verb == "create" && $0.apiVersion == "*" })
            #expect(own.namespace == "default" && own.name == "fine" && own.user.name == "jane")
            // Each distinct check once per request.
            #expect(asked.filter { $0.path == "/healthz" }.count == 1)

            let refused = try await ValidatingAdmissionPolicyTests.createConfigMap(server, "needs-secrets")
            #expect(refused.status == 422)
            #expect(try refused.json()["message"] == #"configmaps "needs-secrets" is forbidden: ValidatingAdmissionPolicy 'secret-readers' with binding 'secret-readers' denied request: cannot read secrets: no rule for jane"#)
        }
    }

    /// Variables that ask the authorizer, read by two validations: decided once, reused.
    @Test func variablesCarryDecisions() async {
        let authorizer = RecordingAuthorizer()
        let policy = AdmissionPolicy(ValidatingAdmissionPolicyTests.policy("vars", validations: [
            ["expression": "variables.health"], ["expression": "!variables.secrets", "message": "reads secrets"],
        ], extra: ["variables": [
            ["name": "health", "expression": "authorizer.path('/healthz').check('get').allowed()"],
            ["name": "secrets", "expression": "authorizer.group('').resource('secrets').check('list').allowed()"],
        ]]))
        let attributes = AdmissionAttributes(
            operation: .create, kind: GroupVersionKind(group: "", version: "v1", kind: "ConfigMap"),
            resource: GroupVersionResource(group: "", version: "v1", resource: "configmaps"), namespace: "default", name: "c",
            userInfo: UserInfo(name: "jane"))
        var authorizations = PolicyAuthorizations(authorizer: authorizer, attributes: attributes)
        var rounds = 0
        let outcome = await authorizations.outcome { authorizer in
            rounds += 1
            return PolicyEvaluation(policy: policy, object: .emptyObject, oldObject: nil, request: .emptyObject, params: nil,
                                    namespaceObject: nil, authorizer: authorizer)
        }
        #expect(rounds == 2)
        #expect(outcome.decisions.isEmpty)
        #expect(authorizer.asked.withLock { $0.count } == 2)
    }
}
