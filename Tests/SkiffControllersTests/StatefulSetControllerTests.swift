import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

/// StatefulSets: ordered creation with stable identities and claims, reverse-order scale down,
/// rolling updates down to the partition, history as ControllerRevisions.
struct StatefulSetControllerTests {
    static func statefulSet(_ name: String, replicas: Int64, policy: String = "OrderedReady", claims: Bool = false) -> JSONValue {
        var set: JSONValue = [
            "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": ["name": .string(name), "namespace": "default"],
            "spec": [
                "replicas": .int(replicas), "serviceName": .string(name), "podManagementPolicy": .string(policy),
                "selector": ["matchLabels": ["app": .string(name)]],
                "template": [
                    "metadata": ["labels": ["app": .string(name)]],
                    "spec": ["containers": [["name": "web", "image": "nginx:1"]]],
                ],
            ],
        ]
        if claims {
            set[path: "spec", "volumeClaimTemplates"] = [
                ["metadata": ["name": "data"], "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]]]],
            ]
        }
        return set
    }

    static func podNames(_ cluster: InProcessCluster) async throws -> Set<String> {
        Set(try await cluster.pods().list().items.filter { $0.deletionTimestamp == nil }.compactMap(\.name))
    }

    static func status(_ cluster: InProcessCluster, _ name: String) async throws -> JSONValue {
        try await cluster.statefulSets().get(name)["status"] ?? .null
    }

    @Test func createsInOrderWithIdentityAndClaimsAndScalesDownInReverse() async throws {
        try await InProcessCluster.withControllers(controllers: [.statefulSet]) { cluster in
            _ = try await cluster.statefulSets().create(Self.statefulSet("web", replicas: 3, claims: true))
            try await waitUntil("web-0") { try await Self.podNames(cluster) == ["web-0"] }
            let first = try await cluster.pods().get("web-0")
            #expect(first[path: "spec", "hostname"] == "web-0")
            #expect(first[path: "spec", "subdomain"] == "web")
            #expect(first.labels["statefulset.kubernetes.io/pod-name"] == "web-0")
            #expect(first.labels["apps.kubernetes.io/pod-index"] == "0")
            #expect(first.controllerReference?["kind"] == "StatefulSet")
            #expect(first[path: "spec", "volumes"]?.arrayValue?.first?[path: "persistentVolumeClaim", "claimName"] == "data-web-0")
            let claim = try await cluster.persistentVolumeClaims().get("data-web-0")
            #expect(claim.labels == ["app": "web"])
            let revisionName = try #require(first.labels["controller-revision-hash"])
            #expect(revisionName.hasPrefix("web-"))

            // OrderedReady waits for each pod to be running and ready before the next.
            try await waitUntil("the status counted web-0") { try await Self.status(cluster, "web")["replicas"] == 1 }
            #expect(try await Self.podNames(cluster) == ["web-0"])
            try await makeReady("web-0", cluster)
            try await waitUntil("web-1") { try await Self.podNames(cluster) == ["web-0", "web-1"] }
            try await makeReady("web-1", cluster)
            try await waitUntil("web-2") { try await Self.podNames(cluster) == ["web-0", "web-1", "web-2"] }
            try await makeReady("web-2", cluster)
            try await waitUntil("three ready replicas") {
                let status = try await Self.status(cluster, "web")
                return status["readyReplicas"] == 3 && status["availableReplicas"] == 3 && status["currentReplicas"] == 3
                    && status["updatedReplicas"] == 3 && status["currentRevision"] == .string(revisionName)
                    && status["updateRevision"] == .string(revisionName) && status["observedGeneration"] == 1
                    && status["collisionCount"] == 0
            }
            let revisions = try await cluster.controllerRevisions().list().items
            #expect(revisions.map(\.name) == [revisionName])
            #expect(revisions.first?["revision"] == 1)

            // A pod that lost its identity label or its claim gets them back.
            let claimUID = claim.uid
            try await cluster.persistentVolumeClaims().delete("data-web-0")
            _ = try await cluster.pods().patch("web-0", type: .merge, patch: ["metadata": ["labels": ["statefulset.kubernetes.io/pod-name": .null]]])
            try await waitUntil("the label and the claim restored") {
                let labels = try await cluster.pods().get("web-0").labels
                let restored = try? await cluster.persistentVolumeClaims().get("data-web-0")
                return labels["statefulset.kubernetes.io/pod-name"] == "web-0" && restored != nil && restored?.uid != claimUID
            }

            // Scaling down removes the highest ordinal first and keeps the claims.
            _ = try await cluster.statefulSets().patch("web", type: .merge, patch: ["spec": ["replicas": 1]])
            try await waitUntil("web-2 and web-1 deleted") { try await Self.podNames(cluster) == ["web-0"] }
            #expect(try await InProcessCluster.exists("data-web-2", in: cluster.persistentVolumeClaims()))

            // Events are written after the fact (in the order recorded), as upstream's recorder writes them.
            try await waitUntil("both deletions' events") {
                try await cluster.events().list().items.count { $0[path: "involvedObject", "name"] == "web" && $0["reason"] == "SuccessfulDelete" } == 2
            }
            let events = try await cluster.events().list().items.filter { $0[path: "involvedObject", "name"] == "web" }
            let messages = Set(events.compactMap { $0["message"]?.stringValue })
            // Each deletion is recorded before the next one starts: events are created in order.
            let deletions = events.filter { $0["reason"] == "SuccessfulDelete" }
                .sorted { Int($0.resourceVersion ?? "") ?? 0 < Int($1.resourceVersion ?? "") ?? 0 }
            #expect(deletions.compactMap { $0["message"]?.stringValue } == [
                "delete Pod web-2 in StatefulSet web successful", "delete Pod web-1 in StatefulSet web successful",
            ])
            #expect(messages.contains("create Pod web-0 in StatefulSet web successful"))
            #expect(messages.contains("create Claim data-web-0 Pod web-0 in StatefulSet web success"))
            #expect(messages.contains("delete Pod web-2 in StatefulSet web successful"))
            #expect(messages.contains("update Pod web-0 in StatefulSet web successful"))
            #expect(Set(events.compactMap { $0["reason"]?.stringValue }) == ["SuccessfulCreate", "SuccessfulDelete", "SuccessfulUpdate"])
        }
    }

    @Test func rollingUpdateRespectsThePartitionThenCompletes() async throws {
        try await InProcessCluster.withControllers(controllers: [.statefulSet]) { cluster in
            let sets = cluster.statefulSets()
            _ = try await sets.create(Self.statefulSet("db", replicas: 3, policy: "Parallel"))
            try await waitUntil("three pods at once") { try await Self.podNames(cluster) == ["db-0", "db-1", "db-2"] }
            try await withReadyPods(cluster) {
                try await waitUntil("all ready") { try await Self.status(cluster, "db")["readyReplicas"] == 3 }
                let oldRevision = try await Self.status(cluster, "db")["currentRevision"]?.stringValue ?? ""

                _ = try await sets.patch("db", type: .merge, patch: [
                    "spec": [
                        "updateStrategy": ["type": "RollingUpdate", "rollingUpdate": ["partition": 2]],
                        "template": ["spec": ["containers": [["name": "web", "image": "nginx:2"]]]],
                    ],
                ])
                try await waitUntil("db-2 updated") {
                    let status = try await Self.status(cluster, "db")
                    return status["updatedReplicas"] == 1 && status["readyReplicas"] == 3 && status["currentReplicas"] == 2
                }
                let status = try await Self.status(cluster, "db")
                let newRevision = status["updateRevision"]?.stringValue ?? ""
                #expect(newRevision != oldRevision)
                #expect(status["currentRevision"] == .string(oldRevision))
                let pods = try await cluster.pods().list().items
                func image(_ name: String) -> String? {
                    pods.first { $0.name == name }?[path: "spec", "containers"]?.arrayValue?.first?["image"]?.stringValue
                }
                #expect(image("db-0") == "nginx:1" && image("db-1") == "nginx:1" && image("db-2") == "nginx:2")

                // Without a partition the rest follow and the update revision becomes current.
                _ = try await sets.patch("db", type: .merge, patch: ["spec": ["updateStrategy": ["rollingUpdate": ["partition": 0]]]])
                try await waitUntil("the rollout complete") {
                    let status = try await Self.status(cluster, "db")
                    return status["currentRevision"] == .string(newRevision) && status["updatedReplicas"] == 3 && status["readyReplicas"] == 3
                }
                @Sendable func revisionNumbers() async throws -> Set<String> {
                    Set(try await cluster.controllerRevisions().list().items.map { "\($0.name ?? ""):\($0["revision"]?.intValue ?? 0)" })
                }
                #expect(try await revisionNumbers() == ["\(oldRevision):1", "\(newRevision):2"])

                // Going back to the first template reuses its revision, renumbered as the latest.
                _ = try await sets.patch("db", type: .merge, patch: ["spec": ["template": ["spec": ["containers": [["name": "web", "image": "nginx:1"]]]]]])
                try await waitUntil("the rollback complete") {
                    let status = try await Self.status(cluster, "db")
                    return status["currentRevision"] == .string(oldRevision) && status["updatedReplicas"] == 3 && status["readyReplicas"] == 3
                }
                #expect(try await revisionNumbers() == ["\(oldRevision):3", "\(newRevision):2"])
            }
        }
    }

    @Test func adoptsOrphanedPodsAgain() async throws {
        try await InProcessCluster.withControllers(controllers: [.statefulSet, .garbageCollector]) { cluster in
            let created = try await cluster.statefulSets().create(Self.statefulSet("kv", replicas: 2, policy: "Parallel"))
            try await waitUntil("two pods") { try await Self.podNames(cluster) == ["kv-0", "kv-1"] }
            try await waitUntil("the revision recorded") { try await Self.status(cluster, "kv")["updateRevision"] != nil }
            let podUIDs = Set(try await cluster.pods().list().items.compactMap(\.uid))
            try await cluster.statefulSets().delete("kv", options: DeleteOptions(propagationPolicy: .orphan))
            try await waitUntil("the set gone, its pods orphaned") {
                let orphaned = try await cluster.pods().list().items.allSatisfy { $0.ownerReferences.isEmpty }
                let setExists = try await InProcessCluster.exists("kv", in: cluster.statefulSets())
                return orphaned && !setExists
            }
            let recreated = try await cluster.statefulSets().create(Self.statefulSet("kv", replicas: 2, policy: "Parallel"))
            #expect(recreated.uid != created.uid)
            try await waitUntil("the pods adopted by the new set") {
                try await cluster.pods().list().items.allSatisfy { $0.isControlled(by: recreated.uid ?? "") }
            }
            // The history is adopted too: the same revision, so the pods are not replaced.
            try await waitUntil("the revision adopted") {
                let revisions = try await cluster.controllerRevisions().list().items
                return revisions.count == 1 && revisions[0].isControlled(by: recreated.uid ?? "")
            }
            try await waitUntil("the status written") { try await Self.status(cluster, "kv")["replicas"] == 2 }
            #expect(Set(try await cluster.pods().list().items.compactMap(\.uid)) == podUIDs)
            #expect(try await Self.status(cluster, "kv")["collisionCount"] == 0)
        }
    }

    @Test func claimsOfRemovedPodsGoWhenScaledWithDelete() async throws {
        try await InProcessCluster.withControllers(controllers: [.statefulSet, .garbageCollector]) { cluster in
            var set = Self.statefulSet("store", replicas: 2, policy: "Parallel", claims: true)
            set[path: "spec", "persistentVolumeClaimRetentionPolicy"] = ["whenScaled": "Delete", "whenDeleted": "Retain"]
            _ = try await cluster.statefulSets().create(set)
            let claims = cluster.persistentVolumeClaims()
            try await waitUntil("two claims") { try await Set(claims.list().items.compactMap(\.name)) == ["data-store-0", "data-store-1"] }
            _ = try await cluster.statefulSets().patch("store", type: .merge, patch: ["spec": ["replicas": 1]])
            try await waitUntil("store-1 and its claim gone") {
                let pods = try await Self.podNames(cluster)
                let remaining = try await Set(claims.list().items.compactMap(\.name))
                return pods == ["store-0"] && remaining == ["data-store-0"]
            }
            #expect(try await claims.get("data-store-0").ownerReferences.isEmpty)
        }
    }

    @Test func onDeleteUpdatesOnlyDeletedPodsAndParallelRecreatesThem() async throws {
        try await InProcessCluster.withControllers(controllers: [.statefulSet]) { cluster in
            var set = Self.statefulSet("cache", replicas: 2, policy: "Parallel")
            set[path: "spec", "updateStrategy"] = ["type": "OnDelete"]
            let sets = cluster.statefulSets()
            _ = try await sets.create(set)
            try await waitUntil("two pods") { try await Self.podNames(cluster) == ["cache-0", "cache-1"] }
            let before = try await cluster.pods().get("cache-1")
            _ = try await sets.patch("cache", type: .merge, patch: ["spec": ["template": ["spec": ["containers": [["name": "web", "image": "nginx:2"]]]]]])
            try await waitUntil("a new update revision") {
                let status = try await Self.status(cluster, "cache")
                return status["updateRevision"] != nil && status["updateRevision"] != status["currentRevision"]
            }
            #expect(try await cluster.pods().get("cache-1").uid == before.uid, "OnDelete leaves pods alone")
            try await cluster.pods().delete("cache-1")
            try await waitUntil("cache-1 recreated from the new template") {
                let pod = try? await cluster.pods().get("cache-1")
                return pod != nil && pod?.uid != before.uid && pod?[path: "spec", "containers"]?.arrayValue?.first?["image"] == "nginx:2"
            }
            #expect(try await cluster.pods().get("cache-0")[path: "spec", "containers"]?.arrayValue?.first?["image"] == "nginx:1")
        }
    }
}

/// Marks the pod Running and Ready through the status subresource, as a kubelet would.
func makeReady(_ name: String, _ cluster: InProcessCluster) async throws {
    var pod = try await cluster.pods().get(name)
    pod["status"] = [
        "phase": "Running",
        "conditions": [["type": "Ready", "status": "True", "lastTransitionTime": .string(Timestamp.now().rfc3339)]],
    ]
    _ = try await cluster.pods().updateStatus(pod)
}

/// Runs `body` while every pod of the default namespace that is not ready is made ready as the
/// watch reports it (a stand-in for kubelets), so rollouts that wait for readiness proceed. A
/// pod whose write conflicts is made ready on the change that caused the conflict.
func withReadyPods(_ cluster: InProcessCluster, _ body: @Sendable () async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            for try await event in try await cluster.pods().watch() {
                guard let pod = event.object, !pod.isPodReadyForTest, pod.deletionTimestamp == nil else { continue }
                if case .deleted = event { continue }
                do {
                    try await makeReady(pod.name ?? "", cluster)
                } catch let error as APIError where error.isNotFound || error.isConflict {
                    continue
                }
            }
        }
        try await body()
        group.cancelAll()
    }
}

extension JSONValue {
    /// Whether the pod reports `Ready: True`.
    var isPodReadyForTest: Bool {
        self[path: "status", "conditions"]?.arrayValue?.contains { $0["type"] == "Ready" && $0["status"] == "True" } ?? false
    }
}
