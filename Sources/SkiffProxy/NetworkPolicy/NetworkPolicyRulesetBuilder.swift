import SkiffAPI
import SkiffModels

/// Renders the NetworkPolicies that select this node's pods into the agent's table (pure):
///
/// - `forward` (filter hook forward, priority 0): replies and related traffic of allowed
///   connections pass (`ct state established,related accept`); a new connection goes through
///   its source pod's egress chain, then its destination pod's ingress chain, each found in a
///   verdict map by address (`egress-pods`, `ingress-pods`).
/// - `ingress-HASH-ns/pod`, `egress-HASH-ns/pod`: for a pod some policy isolates in that
///   direction, its own address (a pod cannot block itself), the union of every such policy's
///   rules (each `return`s: allowed), then `drop`.
///
/// A pod no policy selects for a direction is not in that map: everything passes (upstream's
/// default). A policy's `policyTypes`, when unset, are `Ingress`, plus `Egress` if it has
/// egress rules, as upstream defaults them. Traffic between a pod and its own node (the
/// kubelet's probes, cluster DNS on the node) does not cross the forward hook and is always
/// allowed, as upstream documents.
struct NetworkPolicyRulesetBuilder {
    /// The node whose pods the table protects.
    var nodeName: String

    /// The ruleset for `policies` over `pods` and `namespaces`.
    func build(policies: [NetworkingV1.NetworkPolicy], pods: [CoreV1.Pod], namespaces: [CoreV1.Namespace]) -> NFTRuleset {
        let peers = PolicyPeers(pods: pods, namespaces: namespaces)
        var ruleset = NFTRuleset()
        ruleset.chains = [
            .init(name: "forward", hook: "type filter hook forward priority 0", rules: [
                "ct state established,related accept", "ip saddr vmap @egress-pods", "ip daddr vmap @ingress-pods",
            ])
        ]
        var elements: [PolicyRuleRenderer.Direction: [String]] = [:]
        let byNamespace = Dictionary(grouping: policies, by: \.namespace)
        for pod in peers.pods where pod.nodeName == nodeName {
            let selecting = (byNamespace[pod.namespace] ?? []).filter { Self.selects($0, pod) }.sorted { $0.name < $1.name }
            for direction in [PolicyRuleRenderer.Direction.ingress, .egress] {
                guard let chain = chain(direction, for: pod, policies: selecting, peers: peers) else { continue }
                ruleset.chains.append(chain)
                elements[direction, default: []].append("\(pod.ip) : jump \(chain.name)")
            }
        }
        ruleset.maps = [
            .init(name: "ingress-pods", type: "ipv4_addr : verdict", elements: elements[.ingress] ?? []),
            .init(name: "egress-pods", type: "ipv4_addr : verdict", elements: elements[.egress] ?? []),
        ]
        return ruleset
    }

    /// The chain of `pod` for `direction`: what `policies` (those selecting it) allow, then
    /// `drop`; nil if none of them isolates the pod in that direction.
    private func chain(_ direction: PolicyRuleRenderer.Direction, for pod: PolicyPod, policies: [NetworkingV1.NetworkPolicy], peers: PolicyPeers) -> NFTRuleset.Chain? {
        let isolating = policies.filter { Self.types(of: $0).contains(direction.policyType) }
        guard !isolating.isEmpty else { return nil }
        let renderer = PolicyRuleRenderer(direction: direction, pod: pod, peers: peers)
        let rules = isolating.flatMap { policy -> [String] in
            switch direction {
            case .ingress: (policy.spec?.ingress ?? []).flatMap { renderer.rules(peers: $0.from, ports: $0.ports, namespace: policy.namespace) }
            case .egress: (policy.spec?.egress ?? []).flatMap { renderer.rules(peers: $0.to, ports: $0.ports, namespace: policy.namespace) }
            }
        }
        // A pod cannot block access to itself (through its Service, say).
        let itself = "\(direction.peerField) \(pod.ip) return"
        return .init(name: ChainName.name(direction.chainKind, "\(pod.namespace)/\(pod.name)"), rules: [itself] + rules + ["drop"])
    }

    /// Whether `policy`'s `podSelector` selects `pod` (of its namespace); an invalid selector selects nothing.
    static func selects(_ policy: NetworkingV1.NetworkPolicy, _ pod: PolicyPod) -> Bool {
        guard policy.namespace == pod.namespace, let spec = policy.spec, let selector = try? LabelSelector(spec.podSelector) else { return false }
        return selector.matches(pod.labels)
    }

    /// The directions `policy` isolates its pods in.
    static func types(of policy: NetworkingV1.NetworkPolicy) -> [String] {
        if let types = policy.spec?.policyTypes, !types.isEmpty { return types }
        return ["Ingress"] + ((policy.spec?.egress ?? []).isEmpty ? [] : ["Egress"])
    }
}
