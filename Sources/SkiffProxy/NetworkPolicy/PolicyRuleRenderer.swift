import SkiffModels

/// Turns one ingress or egress rule of a policy into nftables rules of a pod's chain: one rule
/// per peer and port, each ending in `return` (allowed: back to the dispatch, on to the next
/// check). The pod's chain drops what no rule returned.
///
/// Ports as upstream defines them: no ports, every port; a port without a number, every port
/// of its protocol (TCP unless set); `endPort`, a range; a named port, the number a container
/// gives that name — the pod's own for ingress, each destination pod's for egress (so a named
/// port never matches an `ipBlock` destination).
struct PolicyRuleRenderer {
    /// Which way the rule's traffic goes, seen from the pod.
    enum Direction: Sendable, Hashable {
        case ingress, egress

        /// The `policyTypes` entry that isolates a pod in this direction.
        var policyType: String { self == .ingress ? "Ingress" : "Egress" }
        /// The prefix of the pods' chains for this direction.
        var chainKind: String { self == .ingress ? "ingress" : "egress" }

        /// The packet field the peers are matched against.
        var peerField: String { self == .ingress ? "ip saddr" : "ip daddr" }
    }

    var direction: Direction
    /// The pod the chain is for.
    var pod: PolicyPod
    var peers: PolicyPeers

    /// The rules allowing what `peerList` and `ports` (of a policy in `namespace`) describe.
    func rules(peers peerList: [NetworkingV1.NetworkPolicyPeer]?, ports: [NetworkingV1.NetworkPolicyPort]?, namespace: String) -> [String] {
        let resolved = peers.resolve(peerList, namespace: namespace)
        let portList: [NetworkingV1.NetworkPolicyPort?] = (ports ?? []).isEmpty ? [nil] : (ports ?? []).map { $0 }
        var rules: [String] = []
        for port in portList {
            for peer in resolved {
                if let match = match(peer, port) {
                    rules.append((match + ["return"]).joined(separator: " "))
                }
            }
        }
        return rules
    }

    /// The conditions of a rule for `peer` and `port`; nil if it can match no packet.
    private func match(_ peer: PolicyPeers.Peer, _ port: NetworkingV1.NetworkPolicyPort?) -> [String]? {
        guard let port else { return peerCondition(peer) }
        let l4Protocol = (port.protocol ?? "TCP").lowercased()
        switch port.port {
        case nil:
            return peerCondition(peer).map { $0 + ["meta l4proto \(l4Protocol)"] }
        case .int(let number):
            let range = port.endPort.map { "\(number)-\($0)" } ?? "\(number)"
            return peerCondition(peer).map { $0 + ["\(l4Protocol) dport \(range)"] }
        case .string(let name) where direction == .ingress:
            guard let number = pod.port(named: name, l4Protocol: l4Protocol) else { return nil }
            return peerCondition(peer).map { $0 + ["\(l4Protocol) dport \(number)"] }
        case .string(let name):
            let destinations: [PolicyPod]
            switch peer {
            case .any: destinations = peers.pods
            case .pods(let pods): destinations = pods
            case .block: return nil
            }
            let pairs = destinations.compactMap { pod in pod.port(named: name, l4Protocol: l4Protocol).map { "\(pod.ip) . \($0)" } }
            guard !pairs.isEmpty else { return nil }
            return ["ip daddr . \(l4Protocol) dport { \(Array(Set(pairs)).sorted().joined(separator: ", ")) }"]
        }
    }

    /// The condition on the peer's address; nil if the peer is an empty set of pods.
    private func peerCondition(_ peer: PolicyPeers.Peer) -> [String]? {
        let field = direction.peerField
        switch peer {
        case .any:
            return []
        case .pods(let pods):
            let addresses = Set(pods.map(\.ip)).sorted()
            guard !addresses.isEmpty else { return nil }
            return ["\(field) { \(addresses.joined(separator: ", ")) }"]
        case .block(let cidr, let except):
            return ["\(field) \(cidr)"] + (except.isEmpty ? [] : ["\(field) != { \(except.joined(separator: ", ")) }"])
        }
    }
}
