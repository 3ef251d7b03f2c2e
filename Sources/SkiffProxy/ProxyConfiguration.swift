/// How a `KubeProxy` programs its node (upstream's `KubeProxyConfiguration`, the parts the
/// nftables mode reads).
public struct ProxyConfiguration: Sendable {
    /// The node this proxy runs on (`--hostname-override`): endpoints on it are local for the
    /// `Local` traffic policies.
    public var nodeName: String
    /// The nftables table, of family `ip` (upstream's `kube-proxy`).
    public var tableName = "kube-proxy"
    /// The nftables table of the network policy agent, of family `ip`.
    public var networkPolicyTableName = "skiff-netpol"
    /// The least time between two syncs (`--config-sync-period`'s sibling `minSyncPeriod`):
    /// changes that come closer together are programmed in one transaction.
    public var minSyncPeriod: Duration = .seconds(1)
    /// The most time between two syncs (`syncPeriod`): the full ruleset is written again even
    /// without changes, which repairs rules someone else removed.
    public var syncPeriod: Duration = .seconds(30)
    /// The bit of the packet mark that asks for masquerading (`--masquerade-bit`).
    public var masqueradeBit = 14
    /// The pods' address range (`--cluster-cidr`): traffic to a ClusterIP from outside it is
    /// masqueraded. Nil: only hairpin and external traffic is.
    public var clusterCIDR: String?

    public init(nodeName: String) {
        self.nodeName = nodeName
    }

    /// The mark bit as the rules write it (`0x4000` for bit 14).
    var masqueradeMark: String { "0x" + String(1 << masqueradeBit, radix: 16) }
}
