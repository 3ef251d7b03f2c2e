import SkiffAPI
@testable import SkiffAPIServer
import SkiffRegistry
import SkiffTesting
import Testing

/// The index of bindings by subject, alone and kept current from the watch caches.
@Suite struct RBACBindingIndexTests {
    static func binding(_ name: String, namespace: String = "", role: String = "view", _ subjects: [RBACBinding.Subject]) -> RBACBinding {
        RBACBinding(name: name, namespace: namespace, roleKind: "ClusterRole", roleName: role, subjects: subjects)
    }

    static let jane = UserInfo(name: "jane", groups: ["devs", UserInfo.allAuthenticated])
    static let bot = UserInfo(name: "system:serviceaccount:team:bot", groups: UserInfo.serviceAccountGroups(namespace: "team"))

    @Test func findsBindingsByUserGroupAndServiceAccount() {
        let index = RBACBindingIndex([
            Self.binding("z-jane", namespace: "team", [.init(kind: "User", name: "jane")]),
            Self.binding("a-devs", namespace: "team", [.init(kind: "Group", name: "devs"), .init(kind: "User", name: "jane")]),
            Self.binding("bot", namespace: "team", [.init(kind: "ServiceAccount", name: "bot")]),
            Self.binding("other-bot", namespace: "team", [.init(kind: "ServiceAccount", name: "bot", namespace: "default")]),
            Self.binding("elsewhere", namespace: "default", [.init(kind: "User", name: "jane")]),
            Self.binding("nobody", namespace: "team", [.init(kind: "Robot", name: "jane")]),
        ])
        // By name, each once, only the namespace's.
        #expect(index.bindings(naming: Self.jane, in: "team").map(\.name) == ["a-devs", "z-jane"])
        #expect(index.bindings(naming: Self.jane, in: "default").map(\.name) == ["elsewhere"])
        #expect(index.bindings(naming: Self.jane, in: "missing").isEmpty)
        // A service account subject without a namespace is the binding's.
        #expect(index.bindings(naming: Self.bot, in: "team").map(\.name) == ["bot"])
        #expect(index.bindings(naming: UserInfo(name: "system:serviceaccount:default:bot"), in: "team").map(\.name) == ["other-bot"])
    }

    @Test func followsAddedChangedAndRemovedBindings() {
        var index = RBACBindingIndex()
        index.insert(Self.binding("b", [.init(kind: "User", name: "jane")]))
        #expect(index.bindings(naming: Self.jane, in: "").map(\.name) == ["b"])
        // Changed subjects: the old subject loses the binding, the new one gains it.
        index.insert(Self.binding("b", role: "edit", [.init(kind: "User", name: "bob")]))
        #expect(index.bindings(naming: Self.jane, in: "").isEmpty)
        #expect(index.bindings(naming: UserInfo(name: "bob"), in: "").map(\.roleName) == ["edit"])
        index.insert(Self.binding("a", [.init(kind: "Group", name: "devs")]))
        #expect(index.bindings(naming: Self.jane, in: "").map(\.name) == ["a"])
        index.remove(namespace: "", name: "b")
        #expect(index.bindings(naming: UserInfo(name: "bob"), in: "").isEmpty)
        index.remove(namespace: "", name: "missing")
        #expect(index.bindings(naming: Self.jane, in: "").map(\.name) == ["a"])
    }

    /// The source applies the caches' events: a binding created, its subjects changed, deleted.
    @Test func sourceFollowsTheWatchCaches() async throws {
        try await APIServerHarness.with(.router) { server in
            let source = RBACPolicySource(registry: server.registry)
            let bob = UserInfo(name: "bob", groups: [UserInfo.allAuthenticated])
            func roles(_ user: UserInfo) -> [String] { source.policy.bindings(naming: user, in: "team").map(\.roleName) }
            #expect(!roles(Self.jane).contains("edit"))
            let path = "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings"
            func binding(_ user: String) -> JSONValue {
                ["metadata": ["name": "jane-edit", "namespace": "team"], "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "edit"],
                 "subjects": [["apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": .string(user)]]]
            }
            #expect(try await server.send(.POST, "/api/v1/namespaces", json: ["metadata": ["name": "team"]]).status == 201)
            #expect(try await server.send(.POST, path, json: binding("jane")).status == 201)
            try await waitUntil("the binding is indexed") { roles(Self.jane).contains("edit") }
            #expect(try await server.send(.PUT, path + "/jane-edit", json: binding("bob")).status == 200)
            try await waitUntil("the changed subjects are indexed") { roles(bob).contains("edit") }
            #expect(!roles(Self.jane).contains("edit"))
            #expect(try await server.send(.DELETE, path + "/jane-edit").status == 200)
            try await waitUntil("the deletion is indexed") { !roles(bob).contains("edit") }
        }
    }
}
