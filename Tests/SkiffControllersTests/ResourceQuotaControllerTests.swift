import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

/// The quota controller fills a quota's status from what its namespace holds, and follows changes.
struct ResourceQuotaControllerTests {
    @Test func statusFollowsTheNamespace() async throws {
        try await InProcessCluster.withControllers(controllers: [.resourceQuota]) { cluster in
            _ = try await cluster.namespaces.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]])
            let quotas = cluster.resource(GroupVersionResource(group: "", version: "v1", resource: "resourcequotas"), namespace: "team")
            func pod(_ name: String, cpu: String, deadline: Int64? = nil) -> JSONValue {
                var pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)], "spec": [
                    "containers": [["name": "app", "image": "nginx", "resources": ["requests": ["cpu": .string(cpu)], "limits": ["memory": "64Mi"]]]],
                ]]
                if let deadline { pod[path: "spec", "activeDeadlineSeconds"] = .int(deadline) }
                return pod
            }
            _ = try await cluster.pods("team").create(pod("a", cpu: "250m"))
            _ = try await cluster.pods("team").create(pod("b", cpu: "500m", deadline: 60))
            _ = try await cluster.configMaps("team").create(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "settings"]])
            _ = try await quotas.create(["apiVersion": "v1", "kind": "ResourceQuota", "metadata": ["name": "all"], "spec": ["hard": [
                "pods": "10", "requests.cpu": "4", "limits.memory": "1Gi", "count/configmaps": "5", "services": "2",
                "count/ingresses.networking.k8s.io": "3",
            ]]])
            _ = try await quotas.create(["apiVersion": "v1", "kind": "ResourceQuota", "metadata": ["name": "long-running"], "spec": [
                "hard": ["pods": "10"], "scopes": ["NotTerminating"],
            ]])
            try await waitUntil("the quotas' status") {
                try await quotas.get("long-running")[path: "status", "used"] == ["pods": "1"]
            }
            try await waitUntil("the unscoped quota's status") {
                try await quotas.get("all")[path: "status", "used", "count/configmaps"] == "1"
            }
            let all = try await quotas.get("all")
            #expect(all[path: "status", "used"] == ["pods": "2", "requests.cpu": "750m", "limits.memory": "128Mi", "count/configmaps": "1", "services": "0",
                                                    "count/ingresses.networking.k8s.io": "0"])
            #expect(all[path: "status", "hard"] == all[path: "spec", "hard"])
            try await cluster.pods("team").delete("a", options: DeleteOptions(gracePeriodSeconds: 0))
            try await waitUntil("the deleted pod released") {
                try await quotas.get("all")[path: "status", "used", "requests.cpu"] == "500m"
            }
            var raised = try await quotas.get("all")
            raised[path: "spec", "hard", "pods"] = "20"
            _ = try await quotas.update(raised)
            try await waitUntil("the new limit in the status") {
                try await quotas.get("all")[path: "status", "hard", "pods"] == "20"
            }
        }
    }
}
