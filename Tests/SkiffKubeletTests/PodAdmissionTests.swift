import SkiffAPI
import SkiffComponentHelpers
import SkiffModels
import Testing

@testable import SkiffKubelet

/// The kubelet's admission of a pod bound to its node (upstream's `predicateAdmitHandler`):
/// what the node's admitted pods hold, and the reason and message of each rejection.
struct PodAdmissionTests {
    /// A node of 1 CPU, 1Gi of memory, 10Gi of ephemeral storage and room for 3 pods.
    var admitted = AdmittedPods(allocatable: ComputeResources(milliCPU: 1000, memory: 1 << 30, ephemeralStorage: 10 << 30, pods: 3))

    static func pod(_ uid: String, cpu: String? = nil, memory: String? = nil, extra: JSONValue = [:]) -> CoreV1.Pod {
        var requests: JSONValue = [:]
        if let cpu { requests["cpu"] = .string(cpu) }
        if let memory { requests["memory"] = .string(memory) }
        var spec: JSONValue = [
            "nodeName": "skiff-node-0", "containers": [["name": "app", "image": "busybox", "resources": ["requests": requests]]],
        ]
        for (key, value) in extra.objectValue ?? [:] { spec[key] = value }
        let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(uid), "namespace": "default", "uid": .string(uid)], "spec": spec]
        return pod.typed()
    }

    static let node: CoreV1.Node = (["apiVersion": "v1", "kind": "Node", "metadata": ["name": "skiff-node-0", "labels": ["disk": "ssd"]]] as JSONValue).typed()

    @Test mutating func cpuBeyondWhatIsLeftIsOutOfcpuWithUpstreamsNumbers() {
        #expect(admitted.admit(Self.pod("a", cpu: "600m"), uid: "a", node: Self.node) == nil)
        let rejection = admitted.admit(Self.pod("b", cpu: "500m"), uid: "b", node: Self.node)
        #expect(rejection == PodRejection(reason: "OutOfcpu", message: "Node didn't have enough resource: cpu, requested: 500, used: 600, capacity: 1000"))
        // A rejected pod holds nothing; one that fits still gets in.
        #expect(admitted.count == 1)
        #expect(admitted.admit(Self.pod("c", cpu: "400m"), uid: "c", node: Self.node) == nil)
    }

    @Test mutating func memoryAndPodsAreCountedAndReleasingGivesThemBack() {
        #expect(admitted.admit(Self.pod("a", memory: "768Mi"), uid: "a", node: Self.node) == nil)
        #expect(admitted.admit(Self.pod("b", memory: "512Mi"), uid: "b", node: Self.node)?.reason == "OutOfmemory")
        #expect(admitted.admit(Self.pod("b"), uid: "b", node: Self.node) == nil)
        #expect(admitted.admit(Self.pod("c"), uid: "c", node: Self.node) == nil)
        // The fourth pod: pods are checked first, whatever else it asks.
        let full = admitted.admit(Self.pod("d", memory: "2Gi"), uid: "d", node: Self.node)
        #expect(full == PodRejection(reason: "OutOfpods", message: "Node didn't have enough resource: pods, requested: 1, used: 3, capacity: 3"))
        admitted.release(uid: "a")
        admitted.release(uid: "a")
        #expect(admitted.count == 2)
        #expect(admitted.admit(Self.pod("d", memory: "1Gi"), uid: "d", node: Self.node) == nil)
    }

    @Test mutating func aTakenHostPortIsRefusedAsNodePorts() {
        let ports: JSONValue = ["containers": [["name": "app", "image": "busybox", "ports": [["containerPort": 80, "hostPort": 8080]]]]]
        #expect(admitted.admit(Self.pod("a", extra: ports), uid: "a", node: Self.node) == nil)
        let rejection = admitted.admit(Self.pod("b", extra: ports), uid: "b", node: Self.node)
        #expect(rejection == PodRejection(reason: "NodePorts", message: "Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports"))
        admitted.release(uid: "a")
        #expect(admitted.admit(Self.pod("b", extra: ports), uid: "b", node: Self.node) == nil)
    }

    @Test mutating func aNodeSelectorTheNodeDoesNotMatchIsRefusedAsNodeAffinity() {
        #expect(admitted.admit(Self.pod("a", extra: ["nodeSelector": ["disk": "ssd"]]), uid: "a", node: Self.node) == nil)
        let rejection = admitted.admit(Self.pod("b", extra: ["nodeSelector": ["disk": "hdd"]]), uid: "b", node: Self.node)
        #expect(rejection == PodRejection(reason: "NodeAffinity", message: "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector"))
    }

    @Test mutating func anUntoleratedNoExecuteTaintIsRefusedButNoScheduleIsNot() {
        var node = Self.node
        node.spec = CoreV1.NodeSpec(taints: [CoreV1.Taint(effect: "NoSchedule", key: "maintenance")])
        #expect(admitted.admit(Self.pod("a"), uid: "a", node: node) == nil)
        node.spec?.taints?.append(CoreV1.Taint(effect: "NoExecute", key: "dedicated", value: "db"))
        let rejection = admitted.admit(Self.pod("b"), uid: "b", node: node)
        #expect(rejection == PodRejection(reason: "TaintToleration", message: "Predicate TaintToleration failed: node(s) had taints that the pod didn't tolerate"))
        let tolerating: JSONValue = ["tolerations": [["key": "dedicated", "operator": "Equal", "value": "db", "effect": "NoExecute"]]]
        #expect(admitted.admit(Self.pod("c", extra: tolerating), uid: "c", node: node) == nil)
    }

    @Test mutating func anotherOperatingSystemIsRefused() {
        let rejection = admitted.admit(Self.pod("a", extra: ["os": ["name": "windows"]]), uid: "a", node: Self.node)
        #expect(rejection == PodRejection(reason: "PodOSNotSupported", message: "Failed to admit pod as the OS field doesn't match node OS"))
    }

    @Test func theRejectedStatusIsFailedWithTheReasonAndKeepsOnlyConditionsTheKubeletDoesNotOwn() throws {
        var pod = Self.pod("a")
        pod.status = CoreV1.PodStatus(
            conditions: [
                CoreV1.PodCondition(status: "True", type: "PodScheduled"),
                CoreV1.PodCondition(status: "True", type: "example.com/ready-gate"),
            ], qosClass: "BestEffort")
        let now = try #require(Timestamp(rfc3339: "2026-12-07T12:00:00Z"))
        let status = PodRejection.insufficient("cpu", requested: 2000, used: 0, capacity: 1000).status(of: pod, at: now)
        #expect(status.phase == "Failed")
        #expect(status.reason == "OutOfcpu")
        #expect(status.message == "Pod was rejected: Node didn't have enough resource: cpu, requested: 2000, used: 0, capacity: 1000")
        #expect(status.qosClass == "BestEffort")
        #expect(status.startTime == now)
        #expect(status.conditions?.map(\.type) == ["example.com/ready-gate"])
    }
}
