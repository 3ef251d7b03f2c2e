import SkiffAPI
import SkiffModels

/// What a policy rule's peers (`from` / `to`) stand for, resolved against the cluster's pods
/// and namespaces as upstream's API documents them: a `podSelector` alone picks pods of the
/// policy's namespace; a `namespaceSelector` picks namespaces by their labels (every
/// namespace carries `kubernetes.io/metadata.name`), with the `podSelector` beside it, if any,
/// narrowing their pods; an `ipBlock` is a CIDR with exceptions.
struct PolicyPeers: Sendable {
    /// One peer, resolved.
    enum Peer: Sendable, Equatable {
        /// No peers listed: every address.
        case any
        /// The pods the selectors chose (possibly none).
        case pods([PolicyPod])
        /// A CIDR and the CIDRs inside it it leaves out.
        case block(cidr: String, except: [String])
    }

    static let namespaceNameLabel = "kubernetes.io/metadata.name"

    /// Every pod policies can name, on any node, sorted by namespace and name.
    let pods: [PolicyPod]
    private let namespaceLabels: [String: [String: String]]

    init(pods: [CoreV1.Pod], namespaces: [CoreV1.Namespace]) {
        self.pods = pods.compactMap(PolicyPod.init).sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        var labels: [String: [String: String]] = [:]
        for namespace in namespaces {
            labels[namespace.name] = (namespace.metadata?.labels ?? [:]).merging([Self.namespaceNameLabel: namespace.name]) { $1 }
        }
        self.namespaceLabels = labels
    }

    /// The peers of a rule of a policy in `namespace`; no peers at all means every address. A
    /// peer whose selector is invalid or whose CIDR is not IPv4 matches nothing and is left out.
    func resolve(_ peers: [NetworkingV1.NetworkPolicyPeer]?, namespace: String) -> [Peer] {
        guard let peers, !peers.isEmpty else { return [.any] }
        return peers.compactMap { resolve($0, namespace: namespace) }
    }

    private func resolve(_ peer: NetworkingV1.NetworkPolicyPeer, namespace: String) -> Peer? {
        if let block = peer.ipBlock {
            guard Self.isIPv4CIDR(block.cidr) else { return nil }
            return .block(cidr: block.cidr, except: (block.except ?? []).filter(Self.isIPv4CIDR))
        }
        guard peer.podSelector != nil || peer.namespaceSelector != nil,
            let podSelector = peer.podSelector == nil ? LabelSelector() : try? LabelSelector(peer.podSelector)
        else { return nil }
        guard let namespaceSelector = peer.namespaceSelector else {
            return .pods(pods.filter { $0.namespace == namespace && podSelector.matches($0.labels) })
        }
        guard let namespaces = try? LabelSelector(namespaceSelector) else { return nil }
        return .pods(pods.filter { namespaces.matches(namespaceLabels[$0.namespace] ?? [Self.namespaceNameLabel: $0.namespace]) && podSelector.matches($0.labels) })
    }

    /// Whether `text` is an IPv4 CIDR (`10.0.0.0/8`) or address: the table is of family `ip`.
    static func isIPv4CIDR(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, ServicePortTable.isIPv4(String(parts[0])) else { return false }
        return parts.count == 1 || (UInt8(parts[1]).map { $0 <= 32 } ?? false)
    }
}
