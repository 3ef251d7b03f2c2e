import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

/// Deleting a namespace empties it, reports what holds it, and ends it.
struct NamespaceControllerTests {
    static func namespace(_ name: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
    }

    @Test func deletionRemovesContentThenTheNamespace() async throws {
        try await InProcessCluster.withControllers(controllers: [.namespace]) { cluster in
            _ = try await cluster.namespaces.create(Self.namespace("doomed"))
            for name in ["one", "two", "three"] {
                _ = try await cluster.configMaps("doomed").create(.configMap(name, namespace: "doomed"))
            }
            try await cluster.namespaces.delete("doomed")
            try await waitUntil("the namespace gone") { try await !InProcessCluster.exists("doomed", in: cluster.namespaces) }
            #expect(try await cluster.configMaps("doomed").list().items.isEmpty)
        }
    }

    @Test func finalizersOfContentHoldTheNamespace() async throws {
        try await InProcessCluster.withControllers(controllers: [.namespace]) { cluster in
            _ = try await cluster.namespaces.create(Self.namespace("held"))
            var held = JSONValue.configMap("held", namespace: "held")
            held.finalizers = ["example.com/hold"]
            _ = try await cluster.configMaps("held").create(held)
            try await cluster.namespaces.delete("held")

            try await waitUntil("the finalizer reported") {
                let conditions = try await cluster.namespaces.get("held")[path: "status", "conditions"]?.arrayValue ?? []
                return conditions.contains {
                    $0["type"] == "NamespaceFinalizersRemaining" && $0["status"] == "True"
                        && $0["message"] == "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances"
                }
            }
            let conditions = try await cluster.namespaces.get("held")[path: "status", "conditions"]?.arrayValue ?? []
            let remaining = conditions.first { $0["type"] == "NamespaceContentRemaining" }
            #expect(remaining?["reason"] == "SomeResourcesRemain")
            #expect(remaining?["message"] == "Some resources are remaining: configmaps. has 1 resource instances")

            var latest = try await cluster.configMaps("held").get("held")
            latest.finalizers = []
            _ = try await cluster.configMaps("held").update(latest)
            try await waitUntil("the namespace gone") { try await !InProcessCluster.exists("held", in: cluster.namespaces) }
        }
    }
}
