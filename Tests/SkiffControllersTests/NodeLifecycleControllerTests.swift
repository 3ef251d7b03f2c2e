import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

/// A node whose kubelet goes silent becomes Unknown and tainted, its pods not ready and,
/// past their toleration, evicted; a node that posts again loses the taints.
struct NodeLifecycleControllerTests {
    typealias F = EndpointsFixtures

    static func taints(of node: String, in cluster: InProcessCluster) async throws -> Set<String> {
        let taints = try await cluster.resource(F.nodes).get(node)[path: "spec", "taints"]?.arrayValue ?? []
        return Set(taints.map { "\($0["key"]?.stringValue ?? ""):\($0["effect"]?.stringValue ?? "")" })
    }

    /// Gone, or being deleted (pods on a node wait for their kubelet, which these tests lack).
    static func isDeleted(_ name: String, in cluster: InProcessCluster) async throws -> Bool {
        do {
            return try await cluster.pods().get(name).deletionTimestamp != nil
        } catch let error as APIError where error.isNotFound {
            return true
        }
    }

    static func unreachableToleration(seconds: Int64?) -> JSONValue {
        var toleration: JSONValue = ["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"]
        if let seconds { toleration["tolerationSeconds"] = .int(seconds) }
        return toleration
    }

    /// On a manual clock with upstream's periods (a 5 s monitor, 40 s of grace): each check
    /// moves the controllers' time on by a second.
    @Test func silentNodeBecomesUnknownTaintedAndEvictsAfterTolerationThenRecovers() async throws {
        let clock = ManualClock(start: .now())
        try await InProcessCluster.withControllers(controllers: [.nodeLifecycle, .taintEviction], configure: { $0.clock = clock }) { cluster in
            let node = try await F.createNode("n1", in: cluster)
            try await F.createRunning(
                F.pod("brief", labels: [:], node: "n1", tolerations: [Self.unreachableToleration(seconds: 2)]), ip: "10.3.0.1", ready: true,
                in: cluster)
            try await F.createRunning(
                F.pod("forever", labels: [:], node: "n1", tolerations: [Self.unreachableToleration(seconds: nil)]), ip: "10.3.0.2", ready: true,
                in: cluster)
            // The default tolerations (300 s) keep this one through the test.
            let patient = try await F.createRunning(F.pod("patient", labels: [:], node: "n1"), ip: "10.3.0.3", ready: true, in: cluster)
            #expect(patient[path: "spec", "tolerations"]?.arrayValue?.contains { $0["tolerationSeconds"] == 300 } == true)

            // The kubelet goes silent: Ready becomes Unknown, the node tainted, pods not ready.
            try await waitUntil("the node unknown", advancing: clock, by: .seconds(1)) {
                let ready = try await cluster.resource(F.nodes).get("n1")[path: "status", "conditions"]?.arrayValue?.first { $0["type"] == "Ready" }
                return ready?["status"] == "Unknown" && ready?["reason"] == "NodeStatusUnknown"
                    && ready?["message"] == "Kubelet stopped posting node status."
            }
            try await waitUntil("the unreachable taints", advancing: clock, by: .seconds(1)) {
                let expected: Set = ["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"]
                return try await Self.taints(of: "n1", in: cluster) == expected
            }
            let conditions = try await cluster.resource(F.nodes).get("n1")[path: "status", "conditions"]?.arrayValue ?? []
            #expect(conditions.first { $0["type"] == "MemoryPressure" }?["reason"] == "NodeStatusNeverUpdated")
            try await waitUntil("the patient pod not ready", advancing: clock, by: .seconds(1)) {
                let pod = try await cluster.pods().get("patient")
                return pod[path: "status", "conditions"]?.arrayValue?.first { $0["type"] == "Ready" }?["status"] == "False"
            }

            // The brief pod goes after its two seconds; the others stay.
            try await waitUntil("the brief pod evicted", advancing: clock, by: .seconds(1)) { try await Self.isDeleted("brief", in: cluster) }
            #expect(try await !Self.isDeleted("forever", in: cluster))
            #expect(try await !Self.isDeleted("patient", in: cluster))
            // Events are written after the fact, as upstream's recorder writes them.
            try await waitUntil("the events") {
                let events = try await cluster.resource(F.events, namespace: "default").list().items
                return events.contains { $0["reason"] == "TaintManagerEviction" && $0["message"] == "Marking for deletion Pod default/brief" }
                    && events.contains { $0["reason"] == "NodeNotReady" && $0["message"] == "Node n1 status is now: NodeNotReady" }
                    && events.contains { $0["reason"] == "NodeNotReady" && $0[path: "involvedObject", "name"] == "patient" }
                    && events.contains { $0["reason"] == "RegisteredNode" && $0["message"] == "Node n1 event: Registered Node n1 in Controller" }
            }

            // The kubelet posts once more: the taints go (until the grace passes again).
            // Unschedulable adds its own taint.
            try await F.postReady(node, status: "True", in: cluster)
            try await waitUntil("the taints removed", advancing: clock, by: .seconds(1)) { try await Self.taints(of: "n1", in: cluster).isEmpty }
            _ = try await cluster.resource(F.nodes).patch("n1", type: .merge, patch: ["spec": ["unschedulable": true]])
            try await waitUntil("the unschedulable taint", advancing: clock, by: .seconds(1)) {
                try await Self.taints(of: "n1", in: cluster).contains("node.kubernetes.io/unschedulable:NoSchedule")
            }
        }
    }

    @Test func notReadyNodeIsTaintedAndIntolerantPodsGoAtOnce() async throws {
        try await InProcessCluster.withControllers(controllers: [.nodeLifecycle, .taintEviction]) { cluster in
            let node = try await F.createNode("n2", in: cluster)
            try await F.createRunning(F.pod("victim", labels: [:], node: "n2"), ip: "10.4.0.1", ready: true, in: cluster)
            try await F.postReady(node, status: "False", in: cluster)
            try await waitUntil("the not-ready taints") {
                try await Self.taints(of: "n2", in: cluster) == ["node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/not-ready:NoSchedule"]
            }
            // The pod tolerates not-ready for 300 s, but not a NoExecute taint of its own.
            #expect(try await !Self.isDeleted("victim", in: cluster))
            var tainted = try await cluster.resource(F.nodes).get("n2")
            let broken: JSONValue = ["key": "example.com/broken", "effect": "NoExecute"]
            tainted[path: "spec", "taints"] = .array((tainted[path: "spec", "taints"]?.arrayValue ?? []) + [broken])
            _ = try await cluster.resource(F.nodes).update(tainted)
            try await waitUntil("the victim evicted") { try await Self.isDeleted("victim", in: cluster) }
            #expect(try await Self.taints(of: "n2", in: cluster).contains("example.com/broken:NoExecute"))
        }
    }
}
