import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

/// DaemonSets: a pod per eligible node that follows nodes, labels and taints; rolling and
/// on-delete updates with ControllerRevisions.
struct DaemonSetControllerTests {
    static func daemonSet(_ name: String, podSpec: JSONValue = .emptyObject, strategy: JSONValue? = nil) -> JSONValue {
        var spec = podSpec
        spec["containers"] = [["name": "agent", "image": "agent:1"]]
        var daemonSet: JSONValue = [
            "apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": ["name": .string(name), "namespace": "default"],
            "spec": ["selector": ["matchLabels": ["app": .string(name)]], "template": ["metadata": ["labels": ["app": .string(name)]], "spec": spec]],
        ]
        if let strategy { daemonSet[path: "spec", "updateStrategy"] = strategy }
        return daemonSet
    }

    static func node(_ name: String, labels: [String: String] = [:], taints: [JSONValue] = []) -> JSONValue {
        var node: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name)]]
        node.labels = labels
        if !taints.isEmpty { node[path: "spec", "taints"] = .array(taints) }
        return node
    }

    /// The live pods by the node their affinity names.
    static func podsByNode(_ cluster: InProcessCluster) async throws -> [String: [JSONValue]] {
        var result: [String: [JSONValue]] = [:]
        for pod in try await cluster.pods().list().items where pod.deletionTimestamp == nil {
            let terms = pod[path: "spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]
            let node = terms?.arrayValue?.first?["matchFields"]?.arrayValue?.first?["values"]?.arrayValue?.first?.stringValue ?? "?"
            result[node, default: []].append(pod)
        }
        return result
    }

    static func nodesWithPods(_ cluster: InProcessCluster) async throws -> Set<String> {
        Set(try await podsByNode(cluster).keys)
    }

    static func status(_ cluster: InProcessCluster, _ name: String) async throws -> JSONValue {
        try await cluster.daemonSets().get(name)["status"] ?? .null
    }

    @Test func followsNodesBeingAddedRemovedAndRelabelled() async throws {
        try await InProcessCluster.withControllers(controllers: [.daemonSet]) { cluster in
            _ = try await cluster.nodes.create(Self.node("n1", labels: ["role": "agent"]))
            _ = try await cluster.nodes.create(Self.node("n2"))
            _ = try await cluster.daemonSets().create(Self.daemonSet("agent", podSpec: ["nodeSelector": ["role": "agent"]]))
            try await waitUntil("a pod for n1") { try await Self.nodesWithPods(cluster) == ["n1"] }
            let pod = try #require(try await Self.podsByNode(cluster)["n1"]?.first)
            #expect(pod.generateName == "agent-")
            #expect(pod.controllerReference?["kind"] == "DaemonSet")
            #expect(pod.labels["app"] == "agent")
            let hash = try #require(pod.labels["controller-revision-hash"])
            #expect(pod[path: "spec", "tolerations"]?.arrayValue?.count == 6)
            #expect(pod[path: "spec", "nodeSelector"] == ["role": "agent"])
            try await waitUntil("the status counted") {
                let status = try await Self.status(cluster, "agent")
                return status["desiredNumberScheduled"] == 1 && status["currentNumberScheduled"] == 1 && status["numberMisscheduled"] == 0
                    && status["numberReady"] == 0 && status["updatedNumberScheduled"] == 1 && status["numberUnavailable"] == 1
                    && status["observedGeneration"] == 1
            }
            let revisions = try await cluster.controllerRevisions().list().items
            #expect(revisions.map(\.name) == ["agent-\(hash)"])
            #expect(revisions.first?.labels["controller-revision-hash"] == .some(hash))

            _ = try await cluster.nodes.patch("n2", type: .merge, patch: ["metadata": ["labels": ["role": "agent"]]])
            try await waitUntil("a pod for the relabelled n2") { try await Self.nodesWithPods(cluster) == ["n1", "n2"] }
            _ = try await cluster.nodes.patch("n1", type: .merge, patch: ["metadata": ["labels": ["role": .null]]])
            try await waitUntil("n1's pod deleted") { try await Self.nodesWithPods(cluster) == ["n2"] }
            _ = try await cluster.nodes.create(Self.node("n3", labels: ["role": "agent"]))
            try await waitUntil("a pod for the new n3") { try await Self.nodesWithPods(cluster) == ["n2", "n3"] }
            try await cluster.nodes.delete("n3")
            try await waitUntil("n3's pod deleted with the node") { try await Self.nodesWithPods(cluster) == ["n2"] }
            try await waitUntil("the status follows") {
                let status = try await Self.status(cluster, "agent")
                return status["desiredNumberScheduled"] == 1 && status["currentNumberScheduled"] == 1
            }
            // Events are written after the fact, as upstream's recorder writes them.
            try await waitUntil("the create and delete events") {
                let events = try await cluster.events().list().items
                return Set(events.filter { $0[path: "involvedObject", "name"] == "agent" }.compactMap { $0["reason"]?.stringValue })
                    == ["SuccessfulCreate", "SuccessfulDelete"]
            }

            // A failed pod is reported, deleted and replaced.
            var failing = try #require(try await Self.podsByNode(cluster)["n2"]?.first)
            failing["status"] = ["phase": "Failed"]
            let failed = try await cluster.pods().updateStatus(failing)
            try await waitUntil("the failed pod replaced") {
                let pods = try await Self.podsByNode(cluster)["n2"] ?? []
                return pods.count == 1 && pods[0].uid != failed.uid
            }
            try await waitUntil("the FailedDaemonPod event") {
                let messages = try await cluster.events().list().items.filter { $0["reason"] == "FailedDaemonPod" }.compactMap { $0["message"]?.stringValue }
                return messages == ["Found failed daemon pod default/\(failed.name ?? "") on node n2, will try to kill it"]
            }
        }
    }

    @Test func taintsKeepPodsOffUnlessTolerated() async throws {
        try await InProcessCluster.withControllers(controllers: [.daemonSet]) { cluster in
            _ = try await cluster.nodes.create(Self.node("gpu", taints: [["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]]))
            _ = try await cluster.nodes.create(Self.node("plain"))
            _ = try await cluster.nodes.create(Self.node("starting", taints: [["key": "node.kubernetes.io/not-ready", "effect": "NoExecute"]]))
            _ = try await cluster.daemonSets().create(Self.daemonSet("logs"))
            try await waitUntil("pods on the untainted and not-ready nodes") { try await Self.nodesWithPods(cluster) == ["plain", "starting"] }

            // A new NoSchedule taint leaves the pod (misscheduled); a NoExecute taint evicts it.
            _ = try await cluster.nodes.patch("plain", type: .merge, patch: ["spec": ["taints": [["key": "dedicated", "value": "db", "effect": "NoSchedule"]]]])
            try await waitUntil("the pod on plain counted as misscheduled") {
                let status = try await Self.status(cluster, "logs")
                return status["numberMisscheduled"] == 1 && status["desiredNumberScheduled"] == 1 && status["currentNumberScheduled"] == 1
            }
            #expect(try await Self.nodesWithPods(cluster) == ["plain", "starting"])
            _ = try await cluster.nodes.patch("starting", type: .merge, patch: ["spec": ["taints": [["key": "dedicated", "value": "db", "effect": "NoExecute"]]]])
            try await waitUntil("the pod on starting evicted") { try await Self.nodesWithPods(cluster) == ["plain"] }

            // Tolerating the key brings pods to every node.
            _ = try await cluster.daemonSets().patch("logs", type: .merge, patch: [
                "spec": ["template": ["spec": ["tolerations": [["key": "dedicated", "operator": "Exists"]]]]],
            ])
            try await waitUntil("pods everywhere") { try await Self.nodesWithPods(cluster) == ["gpu", "plain", "starting"] }
            try await waitUntil("nothing misscheduled") {
                let status = try await Self.status(cluster, "logs")
                return status["numberMisscheduled"] == 0 && status["desiredNumberScheduled"] == 3
            }
        }
    }

    @Test func rollingUpdateReplacesPodsAndOnDeleteWaits() async throws {
        try await InProcessCluster.withControllers(controllers: [.daemonSet]) { cluster in
            for name in ["a", "b", "c"] { _ = try await cluster.nodes.create(Self.node(name)) }
            let strategy: JSONValue = ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 1, "maxSurge": 0]]
            _ = try await cluster.daemonSets().create(Self.daemonSet("proxy", strategy: strategy))
            try await withReadyPods(cluster) {
                try await waitUntil("three available pods") { try await Self.status(cluster, "proxy")["numberAvailable"] == 3 }
                _ = try await cluster.daemonSets().patch("proxy", type: .merge, patch: [
                    "spec": ["template": ["spec": ["containers": [["name": "agent", "image": "agent:2"]]]]],
                ])
                try await waitUntil("every pod replaced") {
                    let pods = try await Self.podsByNode(cluster)
                    let status = try await Self.status(cluster, "proxy")
                    return pods.count == 3 && pods.values.allSatisfy { $0.count == 1 && $0[0][path: "spec", "containers"]?.arrayValue?.first?["image"] == "agent:2" }
                        && status["updatedNumberScheduled"] == 3 && status["numberAvailable"] == 3
                }
                let revisions = try await cluster.controllerRevisions().list().items
                #expect(revisions.compactMap { $0["revision"]?.intValue }.sorted() == [1, 2])

                // OnDelete: a new template replaces only deleted pods.
                _ = try await cluster.daemonSets().patch("proxy", type: .merge, patch: [
                    "spec": [
                        "updateStrategy": ["type": "OnDelete", "rollingUpdate": .null],
                        "template": ["spec": ["containers": [["name": "agent", "image": "agent:3"]]]],
                    ],
                ])
                try await waitUntil("the new revision counted, no pod updated") {
                    let status = try await Self.status(cluster, "proxy")
                    return status["observedGeneration"] == 3 && status["updatedNumberScheduled"] == nil
                }
                let before = try await Self.podsByNode(cluster)
                let victim = try #require(before["a"]?.first)
                try await cluster.pods().delete(victim.name ?? "")
                try await waitUntil("a's pod recreated from the new template") {
                    let pods = try await Self.podsByNode(cluster)
                    return pods["a"]?.count == 1 && pods["a"]?[0][path: "spec", "containers"]?.arrayValue?.first?["image"] == "agent:3"
                }
                let after = try await Self.podsByNode(cluster)
                #expect(after["b"]?.first?.uid == before["b"]?.first?.uid)
                #expect(after["c"]?.first?.uid == before["c"]?.first?.uid)

                // Only the first revision is used by no pod: it goes beyond a history limit of 0.
                #expect(try await cluster.controllerRevisions().list().items.count == 3)
                _ = try await cluster.daemonSets().patch("proxy", type: .merge, patch: ["spec": ["revisionHistoryLimit": 0]])
                try await waitUntil("the unused revision deleted") {
                    try await cluster.controllerRevisions().list().items.compactMap { $0["revision"]?.intValue }.sorted() == [2, 3]
                }
            }
        }
    }
}
