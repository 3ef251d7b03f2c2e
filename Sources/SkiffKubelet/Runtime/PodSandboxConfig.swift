/// What a sandbox is created from.
public struct PodSandboxConfig: Sendable, Hashable {
    /// The pod's name.
    public var podName: String
    /// The pod's namespace.
    public var podNamespace: String
    /// The pod's UID.
    public var podUID: String
    /// The pod's IP, allocated by the kubelet from the node's pod CIDR.
    public var podIP: String

    /// The sandbox of one pod.
    public init(podName: String, podNamespace: String, podUID: String, podIP: String) {
        self.podName = podName
        self.podNamespace = podNamespace
        self.podUID = podUID
        self.podIP = podIP
    }
}
