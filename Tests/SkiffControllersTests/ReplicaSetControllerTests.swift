import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

/// A ReplicaSet keeps its number of pods: creates, scales down, adopts, replaces.
struct ReplicaSetControllerTests {
    static func replicaSet(_ name: String, replicas: Int64, app: String = "web") -> JSONValue {
        [
            "apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": ["name": .string(name), "namespace": "default"],
            "spec": [
                "replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(app)]],
                "template": [
                    "metadata": ["labels": ["app": .string(app)]],
                    "spec": ["containers": [["name": "web", "image": "nginx"]]],
                ],
            ],
        ]
    }

    static func pods(of replicaSet: JSONValue, in cluster: InProcessCluster) async throws -> [JSONValue] {
        try await cluster.pods().list().items.filter { $0.isControlled(by: replicaSet.uid ?? "") && $0.deletionTimestamp == nil }
    }

    @Test func createsPodsScalesDownAndReportsStatus() async throws {
        try await InProcessCluster.withControllers(controllers: [.replicaSet]) { cluster in
            let created = try await cluster.replicaSets().create(Self.replicaSet("web", replicas: 3))
            try await waitUntil("three pods") { try await Self.pods(of: created, in: cluster).count == 3 }
            let pods = try await Self.pods(of: created, in: cluster)
            for pod in pods {
                let name = pod.name ?? ""
                #expect(name.hasPrefix("web-") && name.count == "web-".count + 5)
                #expect(pod.labels == ["app": "web"])
                let reference = pod.controllerReference
                #expect(reference?["kind"] == "ReplicaSet")
                #expect(reference?["apiVersion"] == "apps/v1")
                #expect(reference?["blockOwnerDeletion"] == true)
            }
            try await waitUntil("the status counted") {
                let status = try await cluster.replicaSets().get("web")["status"]
                return status?["replicas"] == 3 && status?["fullyLabeledReplicas"] == 3 && status?["observedGeneration"] == 1
            }

            // One ready pod survives a scale down to one: the not-ready ones go first.
            var ready = pods[1]
            ready["status"] = [
                "phase": "Running",
                "conditions": [["type": "Ready", "status": "True", "lastTransitionTime": .string(Timestamp.now().rfc3339)]],
            ]
            _ = try await cluster.pods().updateStatus(ready)
            try await waitUntil("one ready replica") { try await cluster.replicaSets().get("web")[path: "status", "readyReplicas"] == 1 }
            _ = try await cluster.replicaSets().patch("web", type: .merge, patch: ["spec": ["replicas": 1]])
            try await waitUntil("one pod left") { try await Self.pods(of: created, in: cluster).count == 1 }
            #expect(try await Self.pods(of: created, in: cluster).first?.name == ready.name)
            try await waitUntil("the status counted") {
                let status = try await cluster.replicaSets().get("web")["status"]
                return status?["replicas"] == 1 && status?["availableReplicas"] == 1 && status?["observedGeneration"] == 2
            }

            // Events are written after the fact, as upstream's recorder writes them.
            try await waitUntil("the create and delete events") {
                let events = try await cluster.resource(GroupVersionResource(group: "", version: "v1", resource: "events"), namespace: "default")
                    .list().items
                let reasons = events.filter { $0[path: "involvedObject", "name"] == "web" }.compactMap { $0["reason"]?.stringValue }
                return Set(reasons) == ["SuccessfulCreate", "SuccessfulDelete"]
                    && events.contains { ($0["message"]?.stringValue ?? "").hasPrefix("Created pod: web-") }
            }
        }
    }

    @Test func adoptsOrphansReleasesStrayPodsAndReplacesDeletedOnes() async throws {
        try await InProcessCluster.withControllers(controllers: [.replicaSet]) { cluster in
            let orphan: JSONValue = [
                "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "orphan", "namespace": "default", "labels": ["app": "api"]],
                "spec": ["containers": [["name": "api", "image": "nginx"]]],
            ]
            _ = try await cluster.pods().create(orphan)
            let created = try await cluster.replicaSets().create(Self.replicaSet("api", replicas: 2, app: "api"))
            try await waitUntil("the orphan adopted and one pod created") {
                let pods = try await Self.pods(of: created, in: cluster)
                return pods.count == 2 && pods.contains { $0.name == "orphan" }
            }

            // A pod that stops matching is released and replaced.
            _ = try await cluster.pods().patch("orphan", type: .merge, patch: ["metadata": ["labels": ["app": "other"]]])
            try await waitUntil("the pod released") { try await cluster.pods().get("orphan").ownerReferences.isEmpty }
            try await waitUntil("a replacement") {
                let pods = try await Self.pods(of: created, in: cluster)
                return pods.count == 2 && !pods.contains { $0.name == "orphan" }
            }

            // A deleted pod is replaced.
            let victim = try await Self.pods(of: created, in: cluster)[0]
            try await cluster.pods().delete(victim.name ?? "")
            try await waitUntil("the deleted pod replaced") {
                let pods = try await Self.pods(of: created, in: cluster)
                return pods.count == 2 && !pods.contains { $0.name == victim.name }
            }
            #expect(try await cluster.pods().list().items.count == 3)
        }
    }
}
