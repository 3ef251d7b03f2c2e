import SkiffAPI
@testable import SkiffAPIServer
import Testing

/// Rule matching, coverage and the authorizer over a fixed policy, without a server.
@Suite struct RBACRuleTests {
    static let jane = UserInfo(name: "jane", groups: ["devs", UserInfo.allAuthenticated])

    static func request(_ verb: String, _ resource: String, group: String = "", namespace: String = "default", name: String = "",
                        subresource: String = "", user: UserInfo = jane) -> AuthorizationAttributes {
        var info = RequestInfo(path: "/", verb: verb)
        info.isResourceRequest = true
        info.apiGroup = group
        info.resource = resource
        info.subresource = subresource
        info.namespace = namespace
        info.name = name
        return AuthorizationAttributes(user: user, requestInfo: info)
    }

    static func path(_ path: String, verb: String = "get") -> AuthorizationAttributes {
        AuthorizationAttributes(user: jane, requestInfo: RequestInfo(path: path, verb: verb))
    }

    @Test func verbsGroupsAndResources() {
        let rule = PolicyRule.resources(["get", "list"], groups: ["", "apps"], ["pods", "deployments"])
        #expect(rule.allows(Self.request("get", "pods")))
        #expect(rule.allows(Self.request("list", "deployments", group: "apps")))
        #expect(!rule.allows(Self.request("create", "pods")))
        #expect(!rule.allows(Self.request("get", "pods", group: "batch")))
        #expect(!rule.allows(Self.request("get", "secrets")))
        // A subresource needs its own rule.
        #expect(!rule.allows(Self.request("get", "pods", name: "web", subresource: "log")))
        let everything = PolicyRule.resources(["*"], groups: ["*"], ["*"])
        #expect(everything.allows(Self.request("escalate", "clusterroles", group: "rbac.authorization.k8s.io")))
        // Resource rules never match non-resource requests.
        #expect(!everything.allows(Self.path("/healthz")))
    }

    @Test func subresourcesAndNames() {
        #expect(PolicyRule.resources(["get"], groups: [""], ["pods/log"]).allows(Self.request("get", "pods", name: "web", subresource: "log")))
        #expect(PolicyRule.resources(["get"], groups: ["*"], ["*/scale"]).allows(Self.request("get", "deployments", group: "apps", name: "web", subresource: "scale")))
        #expect(!PolicyRule.resources(["get"], groups: ["*"], ["*/scale"]).allows(Self.request("get", "deployments", group: "apps", name: "web")))
        let named = PolicyRule.resources(["get", "update"], groups: ["coordination.k8s.io"], ["leases"], names: ["kube-scheduler"])
        #expect(named.allows(Self.request("get", "leases", group: "coordination.k8s.io", name: "kube-scheduler")))
        #expect(!named.allows(Self.request("get", "leases", group: "coordination.k8s.io", name: "other")))
        // A list has no name, so a rule with names never allows it.
        #expect(!named.allows(Self.request("list", "leases", group: "coordination.k8s.io")))
    }

    @Test func nonResourceURLs() {
        let rule = PolicyRule.urls(["get"], ["/healthz", "/apis/*"])
        #expect(rule.allows(Self.path("/healthz")))
        #expect(rule.allows(Self.path("/apis/apps/v1")))
        #expect(!rule.allows(Self.path("/healthz/etcd")))
        #expect(!rule.allows(Self.path("/healthz", verb: "post")))
        #expect(PolicyRule.urls(["*"], ["*"]).allows(Self.path("/metrics", verb: "post")))
    }

    @Test func coverageForEscalation() {
        let held = [PolicyRule.resources(["get", "list"], groups: [""], ["pods", "pods/log"]), PolicyRule.resources(["*"], groups: ["apps"], ["*/scale"])]
        #expect(PolicyRule.uncovered([.resources(["get"], groups: [""], ["pods"])], by: held).isEmpty)
        #expect(PolicyRule.uncovered([.resources(["update"], groups: ["apps"], ["deployments/scale"])], by: held).isEmpty)
        let missing = PolicyRule.uncovered([.resources(["get", "delete"], groups: [""], ["pods", "secrets"])], by: held)
        #expect(Set(missing) == [.resources(["delete"], groups: [""], ["pods"]), .resources(["get"], groups: [""], ["secrets"]), .resources(["delete"], groups: [""], ["secrets"])])
        #expect(PolicyRule.compacted(missing).map(\.compactDescription).sorted()
            == [#"{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}"#, #"{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete"]}"#])
        // Names held cover only those names.
        let one = [PolicyRule.resources(["get"], groups: [""], ["configmaps"], names: ["a"])]
        #expect(PolicyRule.uncovered([.resources(["get"], groups: [""], ["configmaps"], names: ["a"])], by: one).isEmpty)
        #expect(!PolicyRule.uncovered([.resources(["get"], groups: [""], ["configmaps"])], by: one).isEmpty)
        #expect(PolicyRule.uncovered([.urls(["get"], ["/logs/x"])], by: [.urls(["get"], ["/logs/*"])]).isEmpty)
    }

    static let policy = RBACPolicy(
        clusterRoles: [
            ["metadata": ["name": "reader"], "rules": [["verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"]]]],
            ["metadata": ["name": "node-reader"], "rules": [["verbs": ["get"], "apiGroups": [""], "resources": ["nodes"]]]],
        ],
        roles: [["metadata": ["name": "cm-writer", "namespace": "team"], "rules": [["verbs": ["create"], "apiGroups": [""], "resources": ["configmaps"]]]]],
        clusterRoleBindings: [
            ["metadata": ["name": "devs-nodes"], "roleRef": ["kind": "ClusterRole", "name": "node-reader"], "subjects": [["kind": "Group", "name": "devs"]]],
            ["metadata": ["name": "dangling"], "roleRef": ["kind": "ClusterRole", "name": "gone"], "subjects": [["kind": "User", "name": "jane"]]],
        ],
        roleBindings: [
            ["metadata": ["name": "jane-reads", "namespace": "team"], "roleRef": ["kind": "ClusterRole", "name": "reader"],
             "subjects": [["kind": "User", "name": "jane"], ["kind": "ServiceAccount", "name": "bot"]]],
            ["metadata": ["name": "jane-writes", "namespace": "team"], "roleRef": ["kind": "Role", "name": "cm-writer"],
             "subjects": [["kind": "User", "name": "jane"]]],
        ])

    @Test func authorizerFollowsBindings() async {
        let authorizer = RBACAuthorizer { Self.policy }
        let allowed = await authorizer.authorize(Self.request("get", "pods", namespace: "team"))
        #expect(allowed.verdict == .allow)
        #expect(allowed.reason == #"RBAC: allowed by RoleBinding "jane-reads/team" of ClusterRole "reader" to User "jane""#)
        #expect(await authorizer.authorize(Self.request("create", "configmaps", namespace: "team")).verdict == .allow)
        // A role binding grants nothing outside its namespace.
        let elsewhere = await authorizer.authorize(Self.request("get", "pods", namespace: "default"))
        #expect(elsewhere.verdict == .noOpinion)
        #expect(elsewhere.reason == #"RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found"#)
        // Groups, cluster-wide.
        #expect(await authorizer.authorize(Self.request("get", "nodes", namespace: "", name: "n1")).verdict == .allow)
        // A service account subject without a namespace is the binding's.
        let bot = UserInfo(name: "system:serviceaccount:team:bot", groups: UserInfo.serviceAccountGroups(namespace: "team"))
        #expect(await authorizer.authorize(Self.request("list", "pods", namespace: "team", user: bot)).verdict == .allow)
        let otherBot = UserInfo(name: "system:serviceaccount:default:bot")
        #expect(await authorizer.authorize(Self.request("list", "pods", namespace: "team", user: otherBot)).verdict == .noOpinion)
        let rules = Self.policy.rules(for: Self.jane, namespace: "team")
        #expect(rules.rules.count == 3)
        #expect(rules.errors == [#"clusterrole.rbac.authorization.k8s.io "gone" not found"#])
    }

    @Test func aggregationGathersSelectedRoles() {
        let roles: [JSONValue] = [
            ["metadata": ["name": "monitoring"], "aggregationRule": ["clusterRoleSelectors": [["matchLabels": ["aggregate-to-monitoring": "true"]]]]],
            ["metadata": ["name": "b-pods", "labels": ["aggregate-to-monitoring": "true"]],
             "rules": [["verbs": ["get"], "apiGroups": [""], "resources": ["pods"]], ["verbs": ["list"], "apiGroups": [""], "resources": ["pods"]]]],
            ["metadata": ["name": "a-nodes", "labels": ["aggregate-to-monitoring": "true"]],
             "rules": [["verbs": ["get"], "apiGroups": [""], "resources": ["pods"]], ["verbs": ["get"], "apiGroups": [""], "resources": ["nodes"]]]],
            ["metadata": ["name": "unrelated"], "rules": [["verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]]]],
        ]
        #expect(ClusterRoleAggregator.aggregatedRules(of: roles[0], among: roles) == [
            .resources(["get"], groups: [""], ["pods"]), .resources(["get"], groups: [""], ["nodes"]), .resources(["list"], groups: [""], ["pods"]),
        ])
        #expect(ClusterRoleAggregator.aggregatedRules(of: roles[1], among: roles) == nil)
    }

    @Test func authorizationModes() throws {
        #expect(try AuthorizationMode.parse("Node,RBAC") == [.node, .rbac])
        #expect(throws: APIError.self) { try AuthorizationMode.parse("RBAC,Webhook") }
        #expect(throws: APIError.self) { try AuthorizationMode.parse("RBAC,RBAC") }
    }

    @Test func bootstrapPolicyIsConsistent() {
        let roles = Set((BootstrapPolicy.clusterRoles + BootstrapPolicy.controllerRoles).map(\.name))
        for binding in BootstrapPolicy.clusterRoleBindings + BootstrapPolicy.controllerRoleBindings { #expect(roles.contains(binding.role)) }
        #expect(roles.isSuperset(of: ["cluster-admin", "admin", "edit", "view", "system:discovery", "system:basic-user", "system:public-info-viewer",
                                      "system:kube-controller-manager", "system:kube-scheduler", "system:node", "system:node-proxier",
                                      "system:controller:deployment-controller"]))
    }
}
