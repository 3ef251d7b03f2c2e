import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

/// Every active namespace has a `default` service account, recreated when deleted.
struct ServiceAccountControllerTests {
    @Test func defaultAccountAppearsAndComesBack() async throws {
        try await InProcessCluster.withControllers(controllers: [.serviceAccount]) { cluster in
            let serviceAccounts = cluster.resource(GroupVersionResource(group: "", version: "v1", resource: "serviceaccounts"), namespace: "team")
            _ = try await cluster.namespaces.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]])
            try await waitUntil("the default account") { try await InProcessCluster.exists("default", in: serviceAccounts) }
            let first = try await serviceAccounts.get("default")

            try await serviceAccounts.delete("default")
            try await waitUntil("the account recreated") {
                let account = try? await serviceAccounts.get("default")
                return account != nil && account?.uid != first.uid
            }
            try await waitUntil("existing namespaces served too") {
                try await InProcessCluster.exists("default", in: serviceAccounts.namespace("kube-system"))
            }
        }
    }
}
