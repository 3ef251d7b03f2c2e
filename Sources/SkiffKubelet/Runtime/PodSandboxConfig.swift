import SkiffDNS
import SkiffModels

/// What a sandbox is created from.
public struct PodSandboxConfig: Sendable, Equatable {
    /// The pod's name.
    public var podName: String
    /// The pod's namespace.
    public var podNamespace: String
    /// The pod's UID.
    public var podUID: String
    /// The pod's IP, allocated by the kubelet from the node's pod CIDR.
    public var podIP: String
    /// The node's pod subnet the IP is from (nil: the node's own address, `hostNetwork`).
    public var podSubnet: IPv4Subnet?
    /// The containers' host name (`spec.hostname`, else the pod's name).
    public var hostname: String?
    /// The containers' `/etc/resolv.conf` (nil: the image's own).
    public var dns: ResolvConf?
    /// The pod's cgroup, which the containers' cgroups go below (`/skiff/kubepods/burstable/pod<uid>`);
    /// nil: the containers get no limits.
    public var cgroupParent: String?
    /// The pod as the API server has it, for runtimes that map more of its spec (labels,
    /// annotations, ports, security context: `CRIRuntime`); nil when not known.
    public var pod: CoreV1.Pod?

    /// The sandbox of one pod.
    public init(podName: String, podNamespace: String, podUID: String, podIP: String, podSubnet: IPv4Subnet? = nil) {
        self.podName = podName
        self.podNamespace = podNamespace
        self.podUID = podUID
        self.podIP = podIP
        self.podSubnet = podSubnet
    }
}
