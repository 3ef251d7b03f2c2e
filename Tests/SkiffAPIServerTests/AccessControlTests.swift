import Logging
import NIOHTTP1
import SkiffAPI
@testable import SkiffAPIServer
import SkiffRegistry
import SkiffTesting
import Testing

/// Token authentication, anonymous requests, impersonation, RBAC with the bootstrap policy and
/// escalation prevention, through the whole server.
@Suite struct AccessControlTests {
    static let tokens: [String: UserInfo] = [
        "admin-token": UserInfo(name: "admin", groups: [UserInfo.privilegedGroup]),
        "jane-token": UserInfo(name: "jane", uid: "1", groups: ["devs"]),
        "bob-token": UserInfo(name: "bob", uid: "2"),
    ]

    static func options(anonymous: Bool = true) -> APIServer.Options {
        var options = APIServer.Options()
        // Two token authenticators, as `skiff up` has (its admin token, the file): a token one of
        // them does not know must still reach the other.
        let admin = TokenFileAuthenticator(tokens: tokens.filter { $0.key == "admin-token" })
        options.authenticator = UnionAuthenticator([admin, TokenFileAuthenticator(tokens: tokens.filter { $0.key != "admin-token" })],
                                                   fallback: anonymous ? AnonymousAuthenticator() : nil)
        options.authorizer = { registry in AuthorizationMode.authorizer([.rbac], registry: registry) }
        return options
    }

    static func bearer(_ token: String) -> HTTPHeaders { ["Authorization": "Bearer \(token)"] }

    /// Runs the aggregation until every aggregated role holds what it selects, as the server's
    /// controller does on every change.
    static func aggregate(_ server: APIServerHarness) async throws {
        let store = try #require(server.registry.store(for: GroupResource(group: "rbac.authorization.k8s.io", resource: "clusterroles")))
        let aggregator = ClusterRoleAggregator(registry: server.registry, logger: InProcessCluster.quietLogger)
        try await waitUntil("aggregated roles are complete") {
            await aggregator.aggregate(store)
            let roles = store.cache.snapshot(filter: WatchFilter()).objects.map(\.decoded)
            return roles.allSatisfy { role in
                ClusterRoleAggregator.aggregatedRules(of: role, among: roles).map { $0 == PolicyRule.rules(of: role) } ?? true
            }
        }
    }

    /// Binds `role` to `user` in `default` as the admin, and waits until the authorizer sees it.
    static func bind(_ server: APIServerHarness, _ role: String, to user: String, token: String) async throws {
        let binding: JSONValue = ["metadata": ["name": .string("\(user)-\(role)")], "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(role)],
                                  "subjects": [["apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": .string(user)]]]
        #expect(try await server.send(.POST, "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", json: binding, headers: bearer("admin-token")).status == 201)
        try await waitUntil("the binding is seen") {
            try await server.send(.GET, "/api/v1/namespaces/default/configmaps", headers: bearer(token)).status == 200
        }
    }

    @Test func tokenFileParsing() throws {
        let file = try TokenFileAuthenticator(csv: "t1,jane,42,\"devs,ops\"\n\nt2,bob,7\n,nobody,0\n")
        #expect(file.users["t1"] == UserInfo(name: "jane", uid: "42", groups: ["devs", "ops"]))
        #expect(file.users["t2"] == UserInfo(name: "bob", uid: "7"))
        #expect(file.users.count == 2)
        #expect(throws: APIError.self) { try TokenFileAuthenticator(csv: "t1,jane\n") }
    }

    @Test func authenticationOutcomes() async throws {
        try await APIServerHarness.with(.router, options: Self.options()) { server in
            // A wrong token is refused, never taken as anonymous.
            let wrong = try await server.send(.GET, "/api/v1/namespaces", headers: Self.bearer("nope"))
            #expect(wrong.status == 401)
            #expect(try wrong.json()["message"] == "Unauthorized")
            // Anonymous requests reach public information only.
            #expect(try await server.send(.GET, "/healthz").status == 200)
            let anonymous = try await server.send(.GET, "/api/v1/namespaces")
            #expect(anonymous.status == 403)
            #expect(try anonymous.json()["message"] == #"namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope"#)
            // Authenticated users may discover.
            #expect(try await server.send(.GET, "/apis", headers: Self.bearer("bob-token")).status == 200)
            let forbiddenPath = try await server.send(.GET, "/metrics", headers: Self.bearer("bob-token"))
            #expect(try forbiddenPath.json()["message"] == #"forbidden: User "bob" cannot get path "/metrics""#)
        }
        try await APIServerHarness.with(.router, options: Self.options(anonymous: false)) { server async throws in
            #expect(try await server.send(.GET, "/healthz").status == 401)
        }
    }

    @Test(arguments: Transport.allCases)
    func viewerListsButCannotCreate(_ transport: Transport) async throws {
        try await APIServerHarness.with(transport, options: Self.options()) { server in
            try await Self.aggregate(server)
            try await Self.bind(server, "view", to: "jane", token: "jane-token")
            #expect(try await server.send(.GET, "/api/v1/namespaces/default/pods", headers: Self.bearer("jane-token")).status == 200)
            let create = try await server.send(.POST, "/api/v1/namespaces/default/configmaps", json: ["metadata": ["name": "c"]], headers: Self.bearer("jane-token"))
            #expect(create.status == 403)
            #expect(try create.json()["message"] == #"configmaps is forbidden: User "jane" cannot create resource "configmaps" in API group "" in the namespace "default""#)
            // `view` holds no secrets.
            #expect(try await server.send(.GET, "/api/v1/namespaces/default/secrets", headers: Self.bearer("jane-token")).status == 403)
            #expect(try await server.send(.GET, "/api/v1/namespaces/kube-system/pods", headers: Self.bearer("jane-token")).status == 403)
        }
    }

    @Test func impersonation() async throws {
        try await APIServerHarness.with(.router, options: Self.options()) { server in
            try await Self.aggregate(server)
            try await Self.bind(server, "view", to: "jane", token: "jane-token")
            // The admin acting as jane has jane's permissions.
            let asJane: HTTPHeaders = ["Authorization": "Bearer admin-token", "Impersonate-User": "jane"]
            #expect(try await server.send(.GET, "/api/v1/namespaces/default/pods", headers: asJane).status == 200)
            let write = try await server.send(.POST, "/api/v1/namespaces/default/configmaps", json: ["metadata": ["name": "c"]], headers: asJane)
            #expect(try write.json()["message"] == #"configmaps is forbidden: User "jane" cannot create resource "configmaps" in API group "" in the namespace "default""#)
            // Bob may not impersonate.
            let refused = try await server.send(.GET, "/api/v1/namespaces/default/pods", headers: ["Authorization": "Bearer bob-token", "Impersonate-User": "jane"])
            #expect(refused.status == 403)
            #expect(try refused.json()["message"] == #"users "jane" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope"#)
            let group = try await server.send(.GET, "/api/v1/namespaces/default/pods", headers: ["Authorization": "Bearer admin-token", "Impersonate-Group": "devs"])
            #expect(group.status == 500)
        }
    }

    @Test func escalationPrevention() async throws {
        try await APIServerHarness.with(.router, options: Self.options()) { server in
            try await Self.aggregate(server)
            try await Self.bind(server, "edit", to: "jane", token: "jane-token")
            let roles = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles"
            // jane may not write roles at all (edit holds none), so give her that, and only that.
            try await Self.bind(server, "system:aggregate-to-admin", to: "jane", token: "jane-token")
            let held: JSONValue = ["metadata": ["name": "cm-reader"], "rules": [["verbs": ["get"], "apiGroups": [""], "resources": ["configmaps"]]]]
            #expect(try await server.send(.POST, roles, json: held, headers: Self.bearer("jane-token")).status == 201)
            let more: JSONValue = ["metadata": ["name": "node-admin"], "rules": [["verbs": ["delete", "get"], "apiGroups": [""], "resources": ["nodes"]]]]
            let escalation = try await server.send(.POST, roles, json: more, headers: Self.bearer("jane-token"))
            #expect(escalation.status == 403)
            #expect(try escalation.json()["message"] == """
                roles.rbac.authorization.k8s.io "node-admin" is forbidden: user "jane" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:
                {APIGroups:[""], Resources:["nodes"], Verbs:["delete" "get"]}
                """)
            // Binding a role she does not hold fully is refused; the admin may.
            let binding: JSONValue = ["metadata": ["name": "bob-admin"], "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"],
                                      "subjects": [["apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "bob"]]]
            let bindings = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings"
            let bind = try await server.send(.POST, bindings, json: binding, headers: Self.bearer("jane-token"))
            #expect(bind.status == 403)
            #expect(try bind.json()["message"]?.stringValue?.hasPrefix(#"rolebindings.rbac.authorization.k8s.io "bob-admin" is forbidden: user "jane""#) == true)
            #expect(try await server.send(.POST, bindings, json: binding, headers: Self.bearer("admin-token")).status == 201)
        }
    }

    @Test(arguments: Transport.allCases)
    func reviews(_ transport: Transport) async throws {
        try await APIServerHarness.with(transport, options: Self.options()) { server in
            try await Self.aggregate(server)
            try await Self.bind(server, "view", to: "jane", token: "jane-token")
            let jane = Self.bearer("jane-token")
            func canI(_ verb: String, _ resource: String, headers: HTTPHeaders = jane) async throws -> JSONValue {
                let review: JSONValue = ["apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                                         "spec": ["resourceAttributes": ["namespace": "default", "verb": .string(verb), "resource": .string(resource)]]]
                let response = try await server.send(.POST, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", json: review, headers: headers)
                #expect(response.status == 201)
                return try response.json()
            }
            let list = try await canI("list", "pods")
            #expect(list[path: "status", "allowed"] == true)
            #expect(list[path: "status", "reason"] == #"RBAC: allowed by RoleBinding "jane-view/default" of ClusterRole "view" to User "jane""#)
            #expect(try await canI("create", "pods")[path: "status", "allowed"] == false)
            #expect(try await canI("create", "pods", headers: Self.bearer("admin-token"))[path: "status", "allowed"] == true)

            let missing = try await server.send(.POST, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", json: ["spec": .emptyObject], headers: jane)
            #expect(missing.status == 422)
            #expect(try missing.json()["message"]?.stringValue?.hasSuffix(#""" is invalid: spec.resourceAttributes: Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified"#) == true)
            // Only a reader of reviews gets as far as the method check.
            #expect(try await server.send(.GET, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", headers: jane).status == 403)
            #expect(try await server.send(.GET, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", headers: Self.bearer("admin-token")).status == 405)

            // Asking about someone else needs the right to.
            let subject: JSONValue = ["spec": ["user": "jane", "resourceAttributes": ["namespace": "default", "verb": "get", "resource": "pods"]]]
            #expect(try await server.send(.POST, "/apis/authorization.k8s.io/v1/subjectaccessreviews", json: subject, headers: jane).status == 403)
            let asked = try await server.send(.POST, "/apis/authorization.k8s.io/v1/subjectaccessreviews", json: subject, headers: Self.bearer("admin-token"))
            #expect(try asked.json()[path: "status", "allowed"] == true)
            let local = try await server.send(.POST, "/apis/authorization.k8s.io/v1/namespaces/other/localsubjectaccessreviews", json: subject, headers: Self.bearer("admin-token"))
            #expect(local.status == 400)

            let rules = try await server.send(.POST, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", json: ["spec": ["namespace": "default"]], headers: jane)
            let status = try rules.json()["status"]
            #expect(status?["incomplete"] == false)
            #expect(status?["resourceRules"]?.arrayValue?.contains(["verbs": ["get", "list", "watch"], "apiGroups": [""], "resources": ["namespaces"]]) == true)
            #expect(status?["nonResourceRules"]?.arrayValue?.isEmpty == false)

            let whoami = try await server.send(.POST, "/apis/authentication.k8s.io/v1/selfsubjectreviews", json: ["apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"], headers: jane)
            #expect(try whoami.json()[path: "status", "userInfo"] == ["username": "jane", "uid": "1", "groups": ["devs", "system:authenticated"]])
        }
    }

    @Test func nodeAuthorizerFollowsPodsOnTheNode() async throws {
        try await APIServerHarness.with(.router) { server in
            let pod: JSONValue = ["metadata": ["name": "web"], "spec": [
                "nodeName": "n1", "containers": [["name": "c", "image": "nginx", "envFrom": [["configMapRef": ["name": "settings"]]]]],
                "volumes": [["name": "v", "secret": ["secretName": "creds"]]],
            ]]
            #expect(try await server.send(.POST, "/api/v1/namespaces/default/pods", json: pod).status == 201)
            let node = NodeAuthorizer(registry: server.registry)
            func decide(_ user: String, _ verb: String, _ resource: String, name: String, namespace: String = "default") async -> AuthorizationDecision {
                var attributes = RBACRuleTests.request(verb, resource, namespace: namespace, name: name)
                attributes.user = UserInfo(name: user, groups: [NodeAuthorizer.nodesGroup, UserInfo.allAuthenticated])
                return await node.authorize(attributes)
            }
            try await waitUntil("the pod is in the cache") { await decide("system:node:n1", "get", "secrets", name: "creds").verdict == .allow }
            #expect(await decide("system:node:n1", "get", "configmaps", name: "settings").verdict == .allow)
            let unrelated = await decide("system:node:n1", "get", "secrets", name: "other")
            #expect(unrelated.verdict == .noOpinion)
            #expect(unrelated.reason == "no relationship found between node 'n1' and this object")
            #expect(await decide("system:node:n2", "get", "secrets", name: "creds").verdict == .noOpinion)
            #expect(await decide("system:node:n1", "list", "secrets", name: "").verdict == .noOpinion)
            // Its own lease only; the system:node role for the rest.
            var lease = RBACRuleTests.request("update", "leases", group: "coordination.k8s.io", namespace: "kube-node-lease", name: "n2")
            lease.user = UserInfo(name: "system:node:n1", groups: [NodeAuthorizer.nodesGroup])
            #expect(await node.authorize(lease).verdict == .noOpinion)
            lease.name = "n1"
            #expect(await node.authorize(lease).verdict == .allow)
            #expect(await decide("system:node:n1", "watch", "pods", name: "", namespace: "").verdict == .allow)
            // Not a node: no opinion.
            var other = RBACRuleTests.request("get", "secrets", name: "creds")
            other.user = UserInfo(name: "jane")
            #expect(await node.authorize(other).verdict == .noOpinion)
        }
    }
}
