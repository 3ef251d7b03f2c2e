import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

/// The disruption controller keeps PodDisruptionBudgets' status.
struct DisruptionControllerTests {
    static func budget(_ name: String, _ rule: JSONValue, app: String = "web") -> JSONValue {
        var spec = rule
        spec["selector"] = ["matchLabels": ["app": .string(app)]]
        return ["apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": ["name": .string(name), "namespace": "default"], "spec": spec]
    }

    static func budgets(_ cluster: InProcessCluster) -> ResourceClient<JSONValue> {
        cluster.resource(GroupVersionResource(group: "policy", version: "v1", resource: "poddisruptionbudgets"), namespace: "default")
    }

    static func makeReady(_ pod: JSONValue, in cluster: InProcessCluster) async throws {
        var ready = pod
        ready["status"] = [
            "phase": "Running",
            "conditions": [["type": "Ready", "status": "True", "lastTransitionTime": .string(Timestamp.now().rfc3339)]],
        ]
        _ = try await cluster.pods().updateStatus(ready)
    }

    /// Waits until the budget's status has `expected` counts (current, desired, expected, allowed).
    static func waitForStatus(_ name: String, _ expected: [Int64], in cluster: InProcessCluster) async throws -> JSONValue {
        try await waitUntil("budget \(name) at \(expected)") {
            let status = try await budgets(cluster).get(name)["status"]
            let counts = ["currentHealthy", "desiredHealthy", "expectedPods", "disruptionsAllowed"].map { status?[$0]?.intValue ?? -1 }
            return counts == expected && status?["observedGeneration"] == 1
        }
        return try await budgets(cluster).get(name)
    }

    @Test func countsHealthyPodsForIntegersAndPercentsOfTheControllersScale() async throws {
        try await InProcessCluster.withControllers(controllers: [.replicaSet, .disruption]) { cluster in
            _ = try await cluster.replicaSets().create(ReplicaSetControllerTests.replicaSet("web", replicas: 3))
            try await waitUntil("three pods") { try await cluster.pods().list().items.count == 3 }
            _ = try await Self.budgets(cluster).create(Self.budget("min", ["minAvailable": 2]))
            _ = try await Self.budgets(cluster).create(Self.budget("max", ["maxUnavailable": "50%"]))
            // No pod is ready yet: nothing may be disrupted.
            let none = try await Self.waitForStatus("min", [0, 2, 3, 0], in: cluster)
            let blocked = none[path: "status", "conditions"]?.arrayValue?.first
            #expect(blocked?["type"] == "DisruptionAllowed" && blocked?["status"] == "False" && blocked?["reason"] == "InsufficientPods")

            for pod in try await cluster.pods().list().items { try await Self.makeReady(pod, in: cluster) }
            let allowed = try await Self.waitForStatus("min", [3, 2, 3, 1], in: cluster)
            let condition = allowed[path: "status", "conditions"]?.arrayValue?.first
            #expect(condition?["status"] == "True" && condition?["reason"] == "SufficientPods" && condition?["observedGeneration"] == 1)
            // 50 % of the set's three replicas, rounded up, may be unavailable: one must stay healthy.
            _ = try await Self.waitForStatus("max", [3, 1, 3, 2], in: cluster)
        }
    }

    @Test func pendingEvictionsCountAsDisruptedUntilTheyExpire() async throws {
        try await InProcessCluster.withControllers(controllers: [.replicaSet, .disruption]) { cluster in
            _ = try await cluster.replicaSets().create(ReplicaSetControllerTests.replicaSet("web", replicas: 2))
            try await waitUntil("two pods") { try await cluster.pods().list().items.count == 2 }
            let pods = try await cluster.pods().list().items
            for pod in pods { try await Self.makeReady(pod, in: cluster) }
            _ = try await Self.budgets(cluster).create(Self.budget("web", ["minAvailable": 1]))
            var budget = try await Self.waitForStatus("web", [2, 1, 2, 1], in: cluster)
            // The eviction API approved one eviction just now and one three minutes ago.
            let now = cluster.clock.now
            budget[path: "status", "disruptedPods", pods[0].name ?? ""] = .string(now.rfc3339)
            budget[path: "status", "disruptedPods", pods[1].name ?? ""] = .string(now.adding(seconds: -180).rfc3339)
            budget[path: "status", "disruptionsAllowed"] = 0
            _ = try await Self.budgets(cluster).updateStatus(budget)
            let pruned = try await Self.waitForStatus("web", [1, 1, 2, 0], in: cluster)
            #expect(pruned[path: "status", "disruptedPods"]?.objectValue?.keys.sorted() == [pods[0].name ?? ""])
            try await waitUntil("the expired eviction reported") {
                try await cluster.eventReasons(about: pods[1].name ?? "").contains("NotDeleted")
            }
        }
    }

    @Test func podsOfUnknownControllersFailTheSyncSafely() async throws {
        try await InProcessCluster.withControllers(controllers: [.disruption]) { cluster in
            let pod: JSONValue = [
                "apiVersion": "v1", "kind": "Pod",
                "metadata": [
                    "name": "task", "namespace": "default", "labels": ["app": "batch"],
                    "ownerReferences": [["apiVersion": "batch/v1", "kind": "Job", "name": "task", "uid": "0000-1", "controller": true]],
                ],
                "spec": ["containers": [["name": "task", "image": "busybox"]]],
            ]
            _ = try await cluster.pods().create(pod)
            _ = try await Self.budgets(cluster).create(Self.budget("batch", ["maxUnavailable": 1], app: "batch"))
            try await waitUntil("the sync failure recorded") {
                let condition = try await Self.budgets(cluster).get("batch")[path: "status", "conditions"]?.arrayValue?.first
                return condition?["reason"] == "SyncFailed" && condition?["message"] == #"found no controllers for pod "task""#
                    && condition?["status"] == "False"
            }
            try await waitUntil("the CalculateExpectedPodCountFailed event") {
                try await cluster.eventReasons(about: "batch").contains("CalculateExpectedPodCountFailed")
            }
        }
    }

    @Test func disruptionConditionsThatNoDeletionFollowedAreReset() async throws {
        try await InProcessCluster.withControllers(controllers: [.disruption]) { cluster in
            let then = cluster.clock.now.adding(seconds: -180)
            for (name, reason) in [("evicted", "EvictionByEvictionAPI"), ("kubelet", "TerminationByKubelet")] {
                let pod: JSONValue = [
                    "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": "default"],
                    "spec": ["containers": [["name": "c", "image": "busybox"]]],
                ]
                var created = try await cluster.pods().create(pod)
                created["status"] = [
                    "phase": "Running",
                    "conditions": [["type": "DisruptionTarget", "status": "True", "reason": .string(reason), "lastTransitionTime": .string(then.rfc3339)]],
                ]
                _ = try await cluster.pods().updateStatus(created)
            }
            func target(_ name: String) async throws -> JSONValue? {
                try await cluster.pods().get(name)[path: "status", "conditions"]?.arrayValue?.first { $0["type"] == "DisruptionTarget" }
            }
            try await waitUntil("the stale condition reset") { try await target("evicted")?["status"] == "False" }
            #expect(try await target("evicted")?["reason"] == nil)
            // The kubelet's own condition is never stale.
            #expect(try await target("kubelet")?["status"] == "True")
        }
    }
}
