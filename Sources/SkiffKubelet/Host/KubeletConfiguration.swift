import SkiffAPI

/// How a `KubeletHost` runs its nodes (upstream's `KubeletConfiguration`, reduced).
public struct KubeletConfiguration: Sendable {
    /// The nodes this host runs (`skiff-node-0`, … for simulated nodes).
    public var nodeNames: [String]
    /// What every node reports.
    public var node = NodeConfiguration()
    /// What some nodes report instead of `node`, by name (the node running real containers
    /// reports the machine's capacity: `NodeConfiguration.measuringHost`).
    public var nodeOverrides: [String: NodeConfiguration] = [:]
    /// Pod subnets are cut from this network, one `/nodeMaskSize` per node.
    public var clusterCIDR = PodCIDRAllocator.defaultClusterCIDR
    /// The prefix length of each node's pod subnet.
    public var nodeMaskSize = PodCIDRAllocator.defaultNodeMaskSize
    /// Node addresses: the node holding pod subnet number k has address k + 1 in this network
    /// (unless its `NodeConfiguration.address` is set).
    public var nodeIPNetwork = IPv4Subnet("172.16.0.0/12")!
    /// Pods synced at the same time, across all nodes.
    public var podWorkers = 16
    /// How often the lease is renewed and the status recomputed (upstream: 10 s each).
    public var heartbeatInterval: Duration = .seconds(10)
    /// How often an unchanged status is written anyway (upstream's `nodeStatusReportFrequency`: 5 min).
    public var statusReportFrequency: Duration = .seconds(300)
    /// Nodes registered at the same time.
    public var registrationConcurrency = 64
    /// The time source of heartbeats, lease renewals, registration back-off, pod timestamps,
    /// simulated run times and CrashLoopBackOff.
    public var clock: any TimestampClock = SystemClock()
    /// The container runtime of each node, by node name; nil: a `SimulatedRuntime` each.
    public var makeRuntime: (@Sendable (String) -> any ContainerRuntime)?
    /// The cluster DNS flags pods' resolv.conf is formed from (real runtimes only).
    public var dns = PodDNSConfigurer.Settings()
    /// The port of the kubelet's HTTP API (`/containerLogs`) on 127.0.0.1; 0: any free port,
    /// reported in the nodes' `daemonEndpoints`; nil: no server.
    public var serverPort: Int?
    /// The most processes a pod's cgroup may hold (upstream's `podPidsLimit`; nil: no limit).
    /// Applies to runtimes whose pods get cgroups (`ContainerRuntime.cgroupRoot`).
    public var podPidsLimit: Int64?
    /// Components this process runs itself, published as mirror pods on the first node (`skiff up`'s control plane).
    public var staticPods: [StaticPod] = []

    /// What the node `name` reports.
    public func node(named name: String) -> NodeConfiguration {
        nodeOverrides[name] ?? node
    }

    /// The configuration of kubelets for `nodeNames`, with upstream's intervals.
    public init(nodeNames: [String]) {
        self.nodeNames = nodeNames
    }

    /// Names of `count` simulated nodes: `skiff-node-0` … `skiff-node-<count-1>`.
    public static func simulatedNodeNames(_ count: Int) -> [String] {
        (0..<max(count, 0)).map { "skiff-node-\($0)" }
    }
}
