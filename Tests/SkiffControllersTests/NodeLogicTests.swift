import SkiffAPI
import SkiffClient
import Testing

@testable import SkiffControllers

/// The pure parts of node lifecycle: taints from conditions, unknown conditions (tolerations:
/// SkiffComponentHelpersTests).
struct NodeLogicTests {
    static func node(ready: String?, taints: [JSONValue] = [], extra: [JSONValue] = []) -> JSONValue {
        var conditions = extra
        if let ready { conditions.append(["type": "Ready", "status": .string(ready), "lastHeartbeatTime": "2026-01-01T00:00:00Z"]) }
        return [
            "metadata": ["name": "n1", "creationTimestamp": "2025-12-31T00:00:00Z"],
            "spec": ["taints": .array(taints)], "status": ["conditions": .array(conditions)],
        ]
    }

    static let now = Timestamp(seconds: 1_800_000_000)

    @Test func taintsFollowConditions() throws {
        let unknown = try #require(NodeTaints.reconciled(Self.node(ready: "Unknown"), now: Self.now))
        #expect(Set(unknown.compactMap { $0["key"]?.stringValue }) == [NodeTaints.unreachable])
        #expect(unknown.first { $0["effect"] == "NoExecute" }?["timeAdded"] == .string(Self.now.rfc3339))
        #expect(unknown.first { $0["effect"] == "NoSchedule" }?["timeAdded"] == nil)

        // Unknown → False swaps the taints; a foreign taint stays.
        let foreign: JSONValue = ["key": "example.com/x", "effect": "NoSchedule"]
        let swapped = try #require(NodeTaints.reconciled(Self.node(ready: "False", taints: unknown + [foreign]), now: Self.now))
        #expect(Set(swapped.map { "\($0["key"]?.stringValue ?? ""):\($0["effect"]?.stringValue ?? "")" }) == [
            "example.com/x:NoSchedule", "node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute",
        ])
        #expect(NodeTaints.reconciled(Self.node(ready: "True", taints: [foreign]), now: Self.now) == nil)
        #expect(NodeTaints.reconciled(Self.node(ready: "True", taints: swapped), now: Self.now) == [foreign])

        var pressured = Self.node(ready: "True", extra: [["type": "MemoryPressure", "status": "True"], ["type": "DiskPressure", "status": "False"]])
        pressured[path: "spec", "unschedulable"] = true
        let pressure = try #require(NodeTaints.reconciled(pressured, now: Self.now))
        #expect(pressure.compactMap { $0["key"]?.stringValue } == ["node.kubernetes.io/memory-pressure", "node.kubernetes.io/unschedulable"])
    }

    @Test func silentNodesConditionsBecomeUnknown() throws {
        let marked = try #require(NodeHealthMonitor.markedUnknown(Self.node(ready: "True"), now: Self.now))
        let conditions = marked[path: "status", "conditions"]?.arrayValue ?? []
        let ready = conditions.first { $0["type"] == "Ready" }
        #expect(ready?["status"] == "Unknown")
        #expect(ready?["reason"] == "NodeStatusUnknown")
        #expect(ready?["message"] == "Kubelet stopped posting node status.")
        #expect(ready?["lastHeartbeatTime"] == "2026-01-01T00:00:00Z")
        #expect(ready?["lastTransitionTime"] == .string(Self.now.rfc3339))
        let memory = conditions.first { $0["type"] == "MemoryPressure" }
        #expect(memory?["reason"] == "NodeStatusNeverUpdated")
        #expect(memory?["message"] == "Kubelet never posted node status.")
        #expect(memory?["lastHeartbeatTime"] == "2025-12-31T00:00:00Z")
        #expect(Set(conditions.compactMap { $0["type"]?.stringValue }) == ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"])
        #expect(NodeHealthMonitor.markedUnknown(marked, now: Self.now) == nil)
    }
}
