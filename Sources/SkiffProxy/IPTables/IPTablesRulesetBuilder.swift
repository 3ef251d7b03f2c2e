import Foundation

/// Renders the service ports of a node into iptables chains, in the layout of upstream's
/// iptables proxier: `KUBE-SERVICES` (nat) matches each ClusterIP and external IP and jumps to
/// the port's `KUBE-SVC-…` (or `KUBE-SVL-…`, `KUBE-EXT-…`), its last rule sends local
/// destinations to `KUBE-NODEPORTS`; a `KUBE-SVC-…` chain picks a `KUBE-SEP-…` endpoint chain
/// with `-m statistic --mode random` (probability 1/n, 1/(n-1), …, the last one always), and
/// the endpoint chain DNATs. Ports without usable endpoints are rejected (or dropped, when
/// endpoints exist but none is local for a `Local` policy) by `KUBE-SERVICES` and
/// `KUBE-EXTERNAL-SERVICES` of the filter table. Same decisions as the nftables `RulesetBuilder`.
struct IPTablesRulesetBuilder {
    var configuration: ProxyConfiguration

    /// The chains of the filter table the proxy always has.
    static let filterChains = ["KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES"]
    /// The chains of the nat table the proxy always has.
    static let natChains = ["KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ"]

    /// The ruleset for `ports`.
    func build(_ ports: [ProxiedServicePort]) -> IPTablesRuleset {
        var filter = IPTablesRuleset.Table(name: "filter", chains: Self.filterChains, rules: [])
        var nat = IPTablesRuleset.Table(name: "nat", chains: Self.natChains, rules: [])
        var services: [String] = []
        var nodePorts: [String] = []
        var portChains: [String] = []
        var portRules: [String] = []
        for port in ports {
            let name = port.servicePortName
            let cluster = port.clusterEndpoints
            let local = port.localEndpoints
            let match = "-m \(port.l4Protocol) -p \(port.l4Protocol)"
            // No usable endpoint at all: reject; endpoints elsewhere but none here: drop.
            let missing = cluster.isEmpty ? "-m comment --comment \(quoted("\(name) has no endpoints"))" : "-m comment --comment \(quoted("\(name) has no local endpoints"))"
            let missingTarget = cluster.isEmpty ? "REJECT" : "DROP"

            if !cluster.isEmpty {
                let chain = IPTablesChainName.service(port)
                portChains.append(chain)
                portRules += dispatchRules(chain, port: port, endpoints: cluster, clusterIPMasquerade: true)
            }
            if !local.isEmpty, port.internalLocal || (port.externalLocal && port.hasExternalTraffic) {
                let chain = IPTablesChainName.local(port)
                portChains.append(chain)
                portRules += dispatchRules(chain, port: port, endpoints: local, clusterIPMasquerade: false)
            }
            for endpoint in Set(cluster + local).sorted() {
                let chain = IPTablesChainName.endpoint(port, endpoint)
                portChains.append(chain)
                let affinity = port.affinityTimeout != nil ? "-m recent --name \(chain) --set " : ""
                portRules += [
                    "-A \(chain) -m comment --comment \(quoted(name)) -s \(endpoint.ip) -j KUBE-MARK-MASQ",
                    "-A \(chain) -m comment --comment \(quoted(name)) \(affinity)\(match) -j DNAT --to-destination \(endpoint.address)",
                ]
            }

            if let clusterIP = port.clusterIP {
                let destination = "\(match) -d \(clusterIP) --dport \(port.port)"
                if (port.internalLocal ? local : cluster).isEmpty {
                    filter.rules.append("-A KUBE-SERVICES \(missing) \(destination) -j \(missingTarget)")
                } else {
                    let target = port.internalLocal ? IPTablesChainName.local(port) : IPTablesChainName.service(port)
                    services.append("-A KUBE-SERVICES -m comment --comment \(quoted("\(name) cluster IP")) \(destination) -j \(target)")
                }
            }
            guard port.hasExternalTraffic else { continue }
            if (port.externalLocal ? local : cluster).isEmpty {
                if let nodePort = port.nodePort {
                    filter.rules.append("-A KUBE-EXTERNAL-SERVICES \(missing) -m addrtype --dst-type LOCAL \(match) --dport \(nodePort) -j \(missingTarget)")
                }
                filter.rules += port.externalIPs.map { "-A KUBE-EXTERNAL-SERVICES \(missing) \(match) -d \($0) --dport \(port.port) -j \(missingTarget)" }
                continue
            }
            let external = IPTablesChainName.external(port)
            portChains.append(external)
            portRules += externalRules(external, port: port)
            if let nodePort = port.nodePort {
                nodePorts.append("-A KUBE-NODEPORTS -m comment --comment \(quoted(name)) \(match) --dport \(nodePort) -j \(external)")
            }
            services += port.externalIPs.map {
                "-A KUBE-SERVICES -m comment --comment \(quoted("\(name) external IP")) \(match) -d \($0) --dport \(port.port) -j \(external)"
            }
        }
        let mark = configuration.masqueradeMark
        nat.chains += portChains
        nat.rules = services + [
            "-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS",
        ] + nodePorts + [
            "-A KUBE-POSTROUTING -m mark ! --mark \(mark)/\(mark) -j RETURN",
            "-A KUBE-POSTROUTING -j MARK --xor-mark \(mark)",
            "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully",
            "-A KUBE-MARK-MASQ -j MARK --or-mark \(mark)",
        ] + portRules
        return IPTablesRuleset(filter: filter, nat: nat)
    }

    /// The rules of a chain that sends a connection to one of `endpoints`: the one its client
    /// is affine to, else one at random (each with probability 1/remaining, the last always).
    private func dispatchRules(_ chain: String, port: ProxiedServicePort, endpoints: [ProxiedEndpoint], clusterIPMasquerade: Bool) -> [String] {
        let name = port.servicePortName
        var rules: [String] = []
        if clusterIPMasquerade, let cidr = configuration.clusterCIDR, let clusterIP = port.clusterIP {
            rules.append(
                "-A \(chain) -m comment --comment \(quoted("\(name) cluster IP")) -m \(port.l4Protocol) -p \(port.l4Protocol) -d \(clusterIP) --dport \(port.port) ! -s \(cidr) -j KUBE-MARK-MASQ")
        }
        if let timeout = port.affinityTimeout {
            rules += endpoints.map { endpoint in
                let target = IPTablesChainName.endpoint(port, endpoint)
                return "-A \(chain) -m comment --comment \(quoted("\(name) -> \(endpoint.address)")) -m recent --name \(target) --rcheck --seconds \(timeout) --reap -j \(target)"
            }
        }
        for (index, endpoint) in endpoints.enumerated() {
            let remaining = endpoints.count - index
            let statistic = remaining > 1 ? "-m statistic --mode random --probability \(String(format: "%0.10f", 1.0 / Double(remaining))) " : ""
            rules.append("-A \(chain) -m comment --comment \(quoted("\(name) -> \(endpoint.address)")) \(statistic)-j \(IPTablesChainName.endpoint(port, endpoint))")
        }
        return rules
    }

    /// The rules of the chain of traffic from outside (NodePort, external IPs), as the nftables
    /// `external-…` chain: `Cluster` masquerades and goes anywhere; `Local` keeps to this node's
    /// endpoints with the client's address, except the node's own connections (and, with a
    /// cluster CIDR, the pods'), which go anywhere.
    private func externalRules(_ chain: String, port: ProxiedServicePort) -> [String] {
        let name = port.servicePortName
        let service = IPTablesChainName.service(port)
        guard port.externalLocal else {
            return [
                "-A \(chain) -m comment --comment \(quoted("masquerade traffic for \(name) external destinations")) -j KUBE-MARK-MASQ",
                "-A \(chain) -j \(service)",
            ]
        }
        var rules: [String] = []
        if let cidr = configuration.clusterCIDR {
            rules.append("-A \(chain) -m comment --comment \(quoted("pod traffic for \(name) external destinations")) -s \(cidr) -j \(service)")
        }
        return rules + [
            "-A \(chain) -m comment --comment \(quoted("masquerade LOCAL traffic for \(name) external destinations")) -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ",
            "-A \(chain) -m comment --comment \(quoted("route LOCAL traffic for \(name) external destinations")) -m addrtype --src-type LOCAL -j \(service)",
            "-A \(chain) -j \(IPTablesChainName.local(port))",
        ]
    }

    /// A comment as iptables-restore reads it: quoted when it has spaces (upstream's style).
    private func quoted(_ text: String) -> String {
        text.contains(" ") ? "\"\(text)\"" : text
    }
}
