import SkiffAPI
import SkiffModels
import SkiffTesting
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
        let labels = node.metadata?.labels ?? [:]
        #expect(labels["kubernetes.io/hostname"] == "skiff-node-3")
        #expect(labels["kubernetes.io/os"] == "linux")
        #expect(labels["kubernetes.io/arch"] == NodeConfiguration.architecture)
        #expect(labels["node.kubernetes.io/instance-type"] == nil)
        #expect(node.spec?.podCIDR == "10.128.3.0/24")
        #expect(node.spec?.podCIDRs == ["10.128.3.0/24"])
        let status = node.status
        #expect(status?.capacity?["cpu"] == "32")
        #expect(status?.capacity?["memory"] == "256Gi")
        #expect(status?.capacity?["pods"] == "110")
        #expect(status?.allocatable == status?.capacity)
        #expect(status?.addresses == [.init(address: "172.16.0.4", type: "InternalIP"), .init(address: "skiff-node-3", type: "Hostname")])
        #expect(status?.daemonEndpoints?.kubeletEndpoint?.Port == 10250)
        #expect(status?.nodeInfo?.kubeletVersion == "v1.32.0")
        #expect(status?.nodeInfo?.containerRuntimeVersion == "containerd://1.7.24-skiff-simulated")
        #expect(status?.nodeInfo?.operatingSystem == "linux")
        let conditions = status?.conditions ?? []
        #expect(conditions.map(\.type) == ["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"])
        #expect(conditions.map(\.reason) == ["KubeletHasSufficientMemory", "KubeletHasNoDiskPressure", "KubeletHasSufficientPID", "KubeletReady"])
        #expect(conditions.last?.message == "kubelet is posting ready status")
        #expect(conditions.last?.status == "True")
        #expect(conditions.allSatisfy { $0.lastHeartbeatTime == now && $0.lastTransitionTime == now })
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
        let ready = recomputed.conditions?.last
        #expect(ready?.lastTransitionTime == first)
        #expect(ready?.lastHeartbeatTime == later)
        #expect(!NodeStatusBuilder.needsUpdate(current: reported, computed: recomputed))

        // The node-lifecycle controller marked the node Unknown: the kubelet's next status is a change.
        var unknown = reported
        unknown.conditions = reported.conditions?.map { condition in
            var condition = condition
            condition.status = "Unknown"
            condition.reason = "NodeStatusUnknown"
            return condition
        }
        let afterUnknown = Self.builder.status(previous: unknown, now: later)
        #expect(NodeStatusBuilder.needsUpdate(current: unknown, computed: afterUnknown))
        #expect(afterUnknown.conditions?.last?.lastTransitionTime == later)
        #expect(NodeStatusBuilder.needsUpdate(current: nil, computed: afterUnknown))
    }

    @Test func leaseIsHeldByTheNodeAndOwnedByIt() {
        let now = Timestamp(seconds: 1_700_000_000, nanoseconds: 123_456_000)
        let lease = NodeLease.lease(nodeName: "skiff-node-0", nodeUID: "uid-1", now: now)
        #expect(lease.namespace == "kube-node-lease")
        #expect(lease.spec?.holderIdentity == "skiff-node-0")
        #expect(lease.spec?.leaseDurationSeconds == 40)
        #expect(lease.json[path: "spec", "renewTime"] == .string(now.rfc3339Micro))
        #expect(lease.metadata?.ownerReferences == [OwnerReference(apiVersion: "v1", kind: "Node", name: "skiff-node-0", uid: "uid-1")])
        var stored = lease
        stored.metadata?.resourceVersion = "7"
        let renewed = NodeLease.renewed(stored, nodeName: "skiff-node-0", nodeUID: "uid-1", now: now.adding(seconds: 10))
        #expect(renewed.metadata?.resourceVersion == "7")
        #expect(renewed.json[path: "spec", "renewTime"] == .string(now.adding(seconds: 10).rfc3339Micro))
    }

    @Test func aRealNodeReportsTheMachinesCapacity() {
        #expect(MachineCapacity.memory(meminfo: "MemTotal:       24683784 kB\nMemFree:  1 kB\n") == "24683784Ki")
        #expect(MachineCapacity.memory(meminfo: "MemFree: 1 kB\n") == nil)
        #expect(MachineCapacity.binary(1 << 30) == "1Gi")
        #expect(MachineCapacity.binary(1000) == "1k")  // upstream prints BinarySI under 1024 in decimal
        var base = NodeConfiguration()
        base.pods = "50"
        let measured = base.measuringHost(dataDirectory: "/nonexistent/kubelet")
        #expect(Int(measured.cpu) ?? 0 >= 1)
        #expect(measured.memory.hasSuffix("Ki") || measured.memory.hasSuffix("Mi"))
        #expect(measured.ephemeralStorage != base.ephemeralStorage)
        #expect(measured.pods == "50")
    }
}

/// The address a node on this machine reports without one configured.
struct HostAddressTests {
    @Test func theDefaultRoutesInterfaceIsChosen() {
        let routes = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            skiff0\t0080000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
            eth1\t00000000\t010200C0\t0002\t0\t0\t0\t00000000\t0\t0\t0
            eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
            """
        // eth1's default route is down (flag 0x1 unset): eth0's is taken.
        #expect(HostAddress.defaultRouteInterface(routes: routes) == "eth0")
        #expect(HostAddress.defaultRouteInterface(routes: "Iface\tDestination\n") == nil)
    }
}
