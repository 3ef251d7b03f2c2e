import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

/// A ReplicationController keeps its number of pods through the ReplicaSet controller's sync.
struct ReplicationManagerTests {
    static func replicationController(_ name: String, replicas: Int64) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "ReplicationController", "metadata": ["name": .string(name), "namespace": "default"],
            "spec": [
                "replicas": .int(replicas), "selector": ["app": .string(name)],
                "template": [
                    "metadata": ["labels": ["app": .string(name)]],
                    "spec": ["containers": [["name": "web", "image": "nginx"]]],
                ],
            ],
        ]
    }

    static func pods(of controller: JSONValue, in cluster: InProcessCluster) async throws -> [JSONValue] {
        try await cluster.pods().list().items.filter { $0.isControlled(by: controller.uid ?? "") && $0.deletionTimestamp == nil }
    }

    @Test func keepsScalesAdoptsAndReportsStatus() async throws {
        try await InProcessCluster.withControllers(controllers: [.replicationController]) { cluster in
            let orphan: JSONValue = [
                "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "orphan", "namespace": "default", "labels": ["app": "web"]],
                "spec": ["containers": [["name": "web", "image": "nginx"]]],
            ]
            _ = try await cluster.pods().create(orphan)
            let controllers = cluster.resource(GroupVersionResource(group: "", version: "v1", resource: "replicationcontrollers"), namespace: "default")
            let created = try await controllers.create(Self.replicationController("web", replicas: 3))
            try await waitUntil("three pods, the orphan among them") {
                let pods = try await Self.pods(of: created, in: cluster)
                return pods.count == 3 && pods.contains { $0.name == "orphan" }
            }
            for pod in try await Self.pods(of: created, in: cluster) {
                let reference = pod.controllerReference
                #expect(reference?["kind"] == "ReplicationController" && reference?["apiVersion"] == "v1")
                #expect(pod.name == "orphan" || (pod.name ?? "").hasPrefix("web-"))
            }
            try await waitUntil("the status counted") {
                let status = try await controllers.get("web")["status"]
                return status?["replicas"] == 3 && status?["fullyLabeledReplicas"] == 3 && status?["observedGeneration"] == 1
            }

            _ = try await controllers.patch("web", type: .merge, patch: ["spec": ["replicas": 1]])
            try await waitUntil("one pod left") { try await Self.pods(of: created, in: cluster).count == 1 }
            try await waitUntil("the status counted") {
                let status = try await controllers.get("web")["status"]
                return status?["replicas"] == 1 && status?["observedGeneration"] == 2
            }
            // Events are written after the fact, as upstream's recorder writes them.
            try await waitUntil("the create and delete events") {
                Set(try await cluster.eventReasons(about: "web")) == ["SuccessfulCreate", "SuccessfulDelete"]
            }
            let sources = try await cluster.events().list().items.filter { $0[path: "involvedObject", "name"] == "web" }
                .compactMap { $0[path: "source", "component"]?.stringValue }
            #expect(Set(sources) == ["replication-controller"])
        }
    }

    @Test func failedCreationsSetTheReplicaFailureCondition() async throws {
        try await InProcessCluster.withControllers(controllers: [.replicationController]) { cluster in
            let namespaces = cluster.resource(GroupVersionResource(group: "", version: "v1", resource: "namespaces"))
            _ = try await namespaces.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "doomed"]])
            let controllers = cluster.resource(GroupVersionResource(group: "", version: "v1", resource: "replicationcontrollers"), namespace: "doomed")
            var manifest = Self.replicationController("web", replicas: 0)
            manifest[path: "metadata", "namespace"] = "doomed"
            _ = try await controllers.create(manifest)
            // No namespace controller runs: the namespace stays terminating, and creations in it are refused.
            try await namespaces.delete("doomed")
            _ = try await controllers.patch("web", type: .merge, patch: ["spec": ["replicas": 1]])
            try await waitUntil("the failure reported") {
                let condition = try await controllers.get("web")[path: "status", "conditions"]?.arrayValue?.first
                return condition?["type"] == "ReplicaFailure" && condition?["status"] == "True" && condition?["reason"] == "FailedCreate"
                    && (condition?["message"]?.stringValue ?? "").hasSuffix("because it is being terminated")
            }
            // (The `FailedCreate` event is refused like the pod: the namespace is terminating.)
        }
    }
}
