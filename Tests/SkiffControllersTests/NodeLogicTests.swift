import SkiffAPI
import SkiffClient
import SkiffModels
import Testing

@testable import SkiffControllers

/// The pure parts of node lifecycle: taints from conditions, unknown conditions (tolerations:
/// SkiffComponentHelpersTests).
struct NodeLogicTests {
    static func node(ready: String?, taints: [CoreV1.Taint] = [], extra: [CoreV1.NodeCondition] = []) -> CoreV1.Node {
        var conditions = extra
        if let ready { conditions.append(CoreV1.NodeCondition(lastHeartbeatTime: Timestamp(rfc3339: "2026-01-01T00:00:00Z"), status: ready, type: "Ready")) }
        return CoreV1.Node(
            metadata: ObjectMeta(name: "n1", creationTimestamp: Timestamp(rfc3339: "2025-12-31T00:00:00Z")),
            spec: CoreV1.NodeSpec(taints: taints), status: CoreV1.NodeStatus(conditions: conditions))
    }

    static let now = Timestamp(seconds: 1_800_000_000)

    @Test func taintsFollowConditions() throws {
        let unknown = try #require(NodeTaints.reconciled(Self.node(ready: "Unknown"), now: Self.now))
        #expect(Set(unknown.map(\.key)) == [NodeTaints.unreachable])
        #expect(unknown.first { $0.effect == "NoExecute" }?.timeAdded == Self.now)
        #expect(unknown.first { $0.effect == "NoSchedule" }?.timeAdded == nil)

        // Unknown → False swaps the taints; a foreign taint stays.
        let foreign = CoreV1.Taint(effect: "NoSchedule", key: "example.com/x")
        let swapped = try #require(NodeTaints.reconciled(Self.node(ready: "False", taints: unknown + [foreign]), now: Self.now))
        #expect(Set(swapped.map { "\($0.key):\($0.effect)" }) == [
            "example.com/x:NoSchedule", "node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute",
        ])
        #expect(NodeTaints.reconciled(Self.node(ready: "True", taints: [foreign]), now: Self.now) == nil)
        #expect(NodeTaints.reconciled(Self.node(ready: "True", taints: swapped), now: Self.now) == [foreign])

        var pressured = Self.node(
            ready: "True",
            extra: [CoreV1.NodeCondition(status: "True", type: "MemoryPressure"), CoreV1.NodeCondition(status: "False", type: "DiskPressure")])
        pressured.spec?.unschedulable = true
        let pressure = try #require(NodeTaints.reconciled(pressured, now: Self.now))
        #expect(pressure.map(\.key) == ["node.kubernetes.io/memory-pressure", "node.kubernetes.io/unschedulable"])
    }

    @Test func silentNodesConditionsBecomeUnknown() throws {
        let marked = try #require(NodeHealthMonitor.markedUnknown(Self.node(ready: "True"), now: Self.now))
        let conditions = marked.status?.conditions ?? []
        let ready = conditions.first { $0.type == "Ready" }
        #expect(ready?.status == "Unknown")
        #expect(ready?.reason == "NodeStatusUnknown")
        #expect(ready?.message == "Kubelet stopped posting node status.")
        #expect(ready?.lastHeartbeatTime == Timestamp(rfc3339: "2026-01-01T00:00:00Z"))
        #expect(ready?.lastTransitionTime == Self.now)
        let memory = conditions.first { $0.type == "MemoryPressure" }
        #expect(memory?.reason == "NodeStatusNeverUpdated")
        #expect(memory?.message == "Kubelet never posted node status.")
        #expect(memory?.lastHeartbeatTime == Timestamp(rfc3339: "2025-12-31T00:00:00Z"))
        #expect(Set(conditions.map(\.type)) == ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"])
        #expect(NodeHealthMonitor.markedUnknown(marked, now: Self.now) == nil)
    }
}
