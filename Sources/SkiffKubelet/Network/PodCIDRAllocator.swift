import Synchronization

/// Hands out one pod subnet per node from the cluster CIDR (the node IPAM controller's job
/// upstream; here the kubelet host does it when it registers a node): the lowest free index,
/// skipping subnets nodes already hold.
public final class PodCIDRAllocator: Sendable {
    /// `10.128.0.0/10` split into `/24`s: 16,384 nodes of up to 253 pods; it does not overlap
    /// the service range `10.96.0.0/12`.
    public static let defaultClusterCIDR = IPv4Subnet("10.128.0.0/10")!
    /// One `/24` per node.
    public static let defaultNodeMaskSize = 24

    /// The network pod subnets are cut from.
    public let clusterCIDR: IPv4Subnet
    /// The prefix length of each node's subnet.
    public let nodeMaskSize: Int
    private let used = Mutex(Set<Int>())

    /// An allocator with nothing taken yet.
    public init(clusterCIDR: IPv4Subnet = defaultClusterCIDR, nodeMaskSize: Int = defaultNodeMaskSize) {
        self.clusterCIDR = clusterCIDR
        self.nodeMaskSize = nodeMaskSize
    }

    /// Marks a subnet a node already holds as taken; false if it is not one of the cluster's.
    @discardableResult
    public func occupy(_ cidr: String) -> Bool {
        guard let subnet = IPv4Subnet(cidr), subnet.prefixLength == nodeMaskSize, let index = clusterCIDR.index(of: subnet) else {
            return false
        }
        used.withLock { _ = $0.insert(index) }
        return true
    }

    /// The lowest free subnet, taken; nil when the cluster CIDR is exhausted.
    public func allocate() -> IPv4Subnet? {
        used.withLock { used in
            var index = 0
            while used.contains(index) { index += 1 }
            guard let subnet = clusterCIDR.subnet(index, prefixLength: nodeMaskSize) else { return nil }
            used.insert(index)
            return subnet
        }
    }

    /// Gives a subnet back.
    public func release(_ cidr: String) {
        guard let subnet = IPv4Subnet(cidr), let index = clusterCIDR.index(of: subnet) else { return }
        used.withLock { _ = $0.remove(index) }
    }
}
