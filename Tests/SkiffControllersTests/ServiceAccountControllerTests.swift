import SkiffAPI
import SkiffClient
import Testing

/// Every active namespace has a `default` service account, recreated when deleted.
struct ServiceAccountControllerTests {
    @Test func defaultAccountAppearsAndComesBack() async throws {
        try await TestCluster.run(controllers: [.serviceAccount]) { cluster in
            let serviceAccounts = cluster.resource(GroupVersionResource(group: "", version: "v1", resource: "serviceaccounts"), namespace: "team")
            _ = try await cluster.namespaces.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]])
            try await waitUntil("the default account") { try await TestCluster.exists("default", in: serviceAccounts) }
            let first = try await serviceAccounts.get("default")

            try await serviceAccounts.delete("default")
            try await waitUntil("the account recreated") {
                let account = try? await serviceAccounts.get("default")
                return account != nil && account?.uid != first.uid
            }
            try await waitUntil("existing namespaces served too") {
                try await TestCluster.exists("default", in: serviceAccounts.namespace("kube-system"))
            }
        }
    }
}
