/// Renders the service ports of a node into the proxy's ruleset, in the layout of upstream's
/// nftables mode: base chains on the nat and filter hooks jump to `services`, which looks the
/// destination up in the verdict maps `service-ips` (ClusterIPs, external IPs) and
/// `service-nodeports` (any local address); each service port has a chain that picks an
/// endpoint chain with `numgen random mod N`, and each endpoint chain DNATs to its address.
/// Ports without usable endpoints are in `no-endpoint-services` / `no-endpoint-nodeports`,
/// checked by the filter chains before NAT, which reject (or drop, when endpoints exist but
/// none is local for a `Local` policy).
struct RulesetBuilder {
    var configuration: ProxyConfiguration

    /// The ruleset for `ports`.
    func build(_ ports: [ProxiedServicePort]) -> NFTRuleset {
        var ruleset = NFTRuleset()
        ruleset.chains = baseChains()
        var serviceIPs: [String] = []
        var nodePorts: [String] = []
        var noEndpointServices: [String] = []
        var noEndpointNodePorts: [String] = []
        for port in ports {
            let cluster = port.clusterEndpoints
            let local = port.localEndpoints
            let key = "\(port.l4Protocol) . \(port.port)"
            // No usable endpoint at all: reject; endpoints elsewhere but none here: drop.
            let missing = cluster.isEmpty ? "goto reject-chain" : "drop"

            if !cluster.isEmpty {
                ruleset.chains.append(dispatchChain(ChainName.service(port), port: port, endpoints: cluster, clusterIPMasquerade: true))
            }
            if !local.isEmpty, port.internalLocal || (port.externalLocal && port.hasExternalTraffic) {
                ruleset.chains.append(dispatchChain(ChainName.local(port), port: port, endpoints: local, clusterIPMasquerade: false))
            }
            for endpoint in Set(cluster + local).sorted() {
                ruleset.chains.append(endpointChain(port, endpoint))
                if let timeout = port.affinityTimeout {
                    ruleset.sets.append(.init(name: ChainName.affinity(port, endpoint), type: "ipv4_addr", timeoutSeconds: timeout))
                }
            }

            if let clusterIP = port.clusterIP {
                let internalEndpoints = port.internalLocal ? local : cluster
                let target = port.internalLocal ? ChainName.local(port) : ChainName.service(port)
                if internalEndpoints.isEmpty {
                    noEndpointServices.append("\(clusterIP) . \(key) : \(missing)")
                } else {
                    serviceIPs.append("\(clusterIP) . \(key) : goto \(target)")
                }
            }
            guard port.hasExternalTraffic else { continue }
            let externalEndpoints = port.externalLocal ? local : cluster
            if externalEndpoints.isEmpty {
                noEndpointNodePorts += port.nodePort.map { ["\(port.l4Protocol) . \($0) : \(missing)"] } ?? []
                noEndpointServices += port.externalIPs.map { "\($0) . \(key) : \(missing)" }
                continue
            }
            ruleset.chains.append(externalChain(port))
            nodePorts += port.nodePort.map { ["\(port.l4Protocol) . \($0) : goto \(ChainName.external(port))"] } ?? []
            serviceIPs += port.externalIPs.map { "\($0) . \(key) : goto \(ChainName.external(port))" }
        }
        let addressKey = "ipv4_addr . inet_proto . inet_service : verdict"
        let portKey = "inet_proto . inet_service : verdict"
        ruleset.maps = [
            .init(name: "service-ips", type: addressKey, elements: serviceIPs),
            .init(name: "service-nodeports", type: portKey, elements: nodePorts),
            .init(name: "no-endpoint-services", type: addressKey, elements: noEndpointServices),
            .init(name: "no-endpoint-nodeports", type: portKey, elements: noEndpointNodePorts),
        ]
        return ruleset
    }

    /// The hooks, the lookups and the masquerading machinery every ruleset has.
    private func baseChains() -> [NFTRuleset.Chain] {
        let mark = configuration.masqueradeMark
        let localDestination = "fib daddr type local ip daddr != 127.0.0.0/8"
        return [
            .init(name: "filter-input", hook: "type filter hook input priority -110", rules: [
                "ct state new jump nodeport-endpoints-check", "ct state new jump service-endpoints-check",
            ]),
            .init(name: "filter-forward", hook: "type filter hook forward priority -110", rules: ["ct state new jump service-endpoints-check"]),
            .init(name: "filter-output", hook: "type filter hook output priority -110", rules: [
                "ct state new jump service-endpoints-check", "ct state new jump nodeport-endpoints-check",
            ]),
            .init(name: "nat-prerouting", hook: "type nat hook prerouting priority -100", rules: ["jump services"]),
            .init(name: "nat-output", hook: "type nat hook output priority -100", rules: ["jump services"]),
            .init(name: "nat-postrouting", hook: "type nat hook postrouting priority 100", rules: ["jump masquerading"]),
            .init(name: "service-endpoints-check", rules: ["ip daddr . meta l4proto . th dport vmap @no-endpoint-services"]),
            .init(name: "nodeport-endpoints-check", rules: ["\(localDestination) meta l4proto . th dport vmap @no-endpoint-nodeports"]),
            .init(name: "services", rules: [
                "ip daddr . meta l4proto . th dport vmap @service-ips",
                "\(localDestination) meta l4proto . th dport vmap @service-nodeports",
            ]),
            .init(name: "mark-for-masquerade", rules: ["meta mark set meta mark | \(mark)"]),
            .init(name: "masquerading", rules: [
                "meta mark & \(mark) == 0 return", "meta mark set meta mark ^ \(mark)", "masquerade fully-random",
            ]),
            .init(name: "reject-chain", rules: ["reject"]),
        ]
    }

    /// A chain that sends a connection to one of `endpoints`: the one its client is affine to,
    /// else one at random.
    private func dispatchChain(_ name: String, port: ProxiedServicePort, endpoints: [ProxiedEndpoint], clusterIPMasquerade: Bool) -> NFTRuleset.Chain {
        var rules: [String] = []
        if clusterIPMasquerade, let cidr = configuration.clusterCIDR, let clusterIP = port.clusterIP {
            rules.append("ip daddr \(clusterIP) \(port.l4Protocol) dport \(port.port) ip saddr != \(cidr) jump mark-for-masquerade")
        }
        if port.affinityTimeout != nil {
            rules += endpoints.map { "ip saddr @\(ChainName.affinity(port, $0)) goto \(ChainName.endpoint(port, $0))" }
        }
        if endpoints.count == 1 {
            rules.append("goto \(ChainName.endpoint(port, endpoints[0]))")
        } else {
            let choices = endpoints.enumerated().map { "\($0.offset) : goto \(ChainName.endpoint(port, $0.element))" }
            rules.append("numgen random mod \(endpoints.count) vmap { \(choices.joined(separator: ", ")) }")
        }
        return .init(name: name, rules: rules)
    }

    /// A chain that DNATs to `endpoint`, masquerading a pod's connection to itself (hairpin)
    /// and remembering the client for session affinity.
    private func endpointChain(_ port: ProxiedServicePort, _ endpoint: ProxiedEndpoint) -> NFTRuleset.Chain {
        var rules = ["ip saddr \(endpoint.ip) jump mark-for-masquerade"]
        if port.affinityTimeout != nil {
            rules.append("update @\(ChainName.affinity(port, endpoint)) { ip saddr }")
        }
        rules.append("meta l4proto \(port.l4Protocol) dnat to \(endpoint.address)")
        return .init(name: ChainName.endpoint(port, endpoint), rules: rules)
    }

    /// The chain of traffic from outside (NodePort, external IPs): masqueraded and sent to any
    /// endpoint, or with `externalTrafficPolicy: Local` kept to this node's endpoints with the
    /// client's address preserved (the node's own connections still go anywhere, masqueraded;
    /// local endpoints imply cluster ones, so `service-…` exists).
    private func externalChain(_ port: ProxiedServicePort) -> NFTRuleset.Chain {
        guard port.externalLocal else {
            return .init(name: ChainName.external(port), rules: ["jump mark-for-masquerade", "goto \(ChainName.service(port))"])
        }
        return .init(name: ChainName.external(port), rules: [
            "fib saddr type local jump mark-for-masquerade", "fib saddr type local goto \(ChainName.service(port))",
            "goto \(ChainName.local(port))",
        ])
    }
}
