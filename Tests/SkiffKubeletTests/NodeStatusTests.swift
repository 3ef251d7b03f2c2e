import SkiffAPI
import Testing

@testable import SkiffKubelet

/// The Node a kubelet registers and the status it reports.
struct NodeStatusTests {
    static let builder = NodeStatusBuilder(
        name: "skiff-node-3", internalIP: "172.16.0.4", podCIDR: "10.128.3.0/24", configuration: NodeConfiguration(),
        runtimeVersion: "containerd://1.7.24-skiff-simulated")

    @Test func registrationObjectHasLabelsCIDRAndStatus() {
        let now = Timestamp(seconds: 1_700_000_000)
        let node = Self.builder.initialNode(now: now)
        #expect(node.labels["kubernetes.io/hostname"] == "skiff-node-3")
        #expect(node.labels["kubernetes.io/os"] == "linux")
        #expect(node.labels["kubernetes.io/arch"] == NodeConfiguration.architecture)
        #expect(node.labels["node.kubernetes.io/instance-type"] == nil)
        #expect(node[path: "spec", "podCIDR"] == "10.128.3.0/24")
        #expect(node[path: "spec", "podCIDRs"] == ["10.128.3.0/24"])
        let status = node["status"]
        #expect(status?["capacity"]?["cpu"] == "32")
        #expect(status?["capacity"]?["memory"] == "256Gi")
        #expect(status?["capacity"]?["pods"] == "110")
        #expect(status?["allocatable"] == status?["capacity"])
        #expect(status?["addresses"] == [["type": "InternalIP", "address": "172.16.0.4"], ["type": "Hostname", "address": "skiff-node-3"]])
        #expect(status?[path: "daemonEndpoints", "kubeletEndpoint", "Port"] == 10250)
        #expect(status?[path: "nodeInfo", "kubeletVersion"] == "v1.32.0")
        #expect(status?[path: "nodeInfo", "containerRuntimeVersion"] == "containerd://1.7.24-skiff-simulated")
        #expect(status?[path: "nodeInfo", "operatingSystem"] == "linux")
        let conditions = status?["conditions"]?.arrayValue ?? []
        #expect(conditions.map { $0["type"] } == ["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"])
        #expect(conditions.map { $0["reason"] } == ["KubeletHasSufficientMemory", "KubeletHasNoDiskPressure", "KubeletHasSufficientPID", "KubeletReady"])
        #expect(conditions.last?["message"] == "kubelet is posting ready status")
        #expect(conditions.last?["status"] == "True")
        #expect(conditions.allSatisfy { $0["lastHeartbeatTime"] == .string(now.rfc3339) && $0["lastTransitionTime"] == .string(now.rfc3339) })
    }

    @Test func instanceTypeAndExtraLabels() {
        var configuration = NodeConfiguration()
        configuration.instanceType = "m5.large"
        configuration.labels = ["topology.kubernetes.io/zone": "zone-a"]
        let builder = NodeStatusBuilder(name: "n", internalIP: "172.16.0.1", podCIDR: "10.128.0.0/24", configuration: configuration, runtimeVersion: "x")
        #expect(builder.defaultLabels["node.kubernetes.io/instance-type"] == "m5.large")
        #expect(builder.defaultLabels["topology.kubernetes.io/zone"] == "zone-a")
    }

    @Test func transitionsAreKeptAndOnlyHeartbeatsDoNotNeedAWrite() {
        let first = Timestamp(seconds: 1_700_000_000)
        let later = first.adding(seconds: 10)
        let reported = Self.builder.status(previous: nil, now: first)
        let recomputed = Self.builder.status(previous: reported, now: later)
        let ready = recomputed["conditions"]?.arrayValue?.last
        #expect(ready?["lastTransitionTime"] == .string(first.rfc3339))
        #expect(ready?["lastHeartbeatTime"] == .string(later.rfc3339))
        #expect(!NodeStatusBuilder.needsUpdate(current: reported, computed: recomputed))

        // The node-lifecycle controller marked the node Unknown: the kubelet's next status is a change.
        var unknown = reported
        unknown["conditions"] = .array((reported["conditions"]?.arrayValue ?? []).map { condition in
            var condition = condition
            condition["status"] = "Unknown"
            condition["reason"] = "NodeStatusUnknown"
            return condition
        })
        let afterUnknown = Self.builder.status(previous: unknown, now: later)
        #expect(NodeStatusBuilder.needsUpdate(current: unknown, computed: afterUnknown))
        #expect(afterUnknown["conditions"]?.arrayValue?.last?["lastTransitionTime"] == .string(later.rfc3339))
        #expect(NodeStatusBuilder.needsUpdate(current: nil, computed: afterUnknown))
    }

    @Test func leaseIsHeldByTheNodeAndOwnedByIt() {
        let now = Timestamp(seconds: 1_700_000_000, nanoseconds: 123_456_000)
        let lease = NodeLease.lease(nodeName: "skiff-node-0", nodeUID: "uid-1", now: now)
        #expect(lease[path: "metadata", "namespace"] == "kube-node-lease")
        #expect(lease[path: "spec", "holderIdentity"] == "skiff-node-0")
        #expect(lease[path: "spec", "leaseDurationSeconds"] == 40)
        #expect(lease[path: "spec", "renewTime"] == .string(now.rfc3339Micro))
        #expect(lease.ownerReferences == [["apiVersion": "v1", "kind": "Node", "name": "skiff-node-0", "uid": "uid-1"]])
        var stored = lease
        stored[path: "metadata", "resourceVersion"] = "7"
        let renewed = NodeLease.renewed(stored, nodeName: "skiff-node-0", nodeUID: "uid-1", now: now.adding(seconds: 10))
        #expect(renewed.resourceVersion == "7")
        #expect(renewed[path: "spec", "renewTime"] == .string(now.adding(seconds: 10).rfc3339Micro))
    }
}
