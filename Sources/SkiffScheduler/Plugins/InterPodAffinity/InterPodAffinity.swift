/// Required inter-pod affinity and anti-affinity: the pod's affinity terms need a matching pod in
/// the node's topology domain, its anti-affinity terms need none, and existing pods' anti-affinity
/// terms must not select the pod in their domain.
struct InterPodAffinity: FilterPlugin {
    static let existingAntiAffinityReason = "node(s) didn't satisfy existing pods anti-affinity rules"
    static let antiAffinityReason = "node(s) didn't match pod anti-affinity rules"
    static let affinityReason = "node(s) didn't match pod affinity rules"

    /// A topology domain: a label key and value.
    struct TopologyPair: Sendable, Hashable {
        var key: String
        var value: String
    }

    /// Matching pods per domain (upstream's PreFilter state).
    struct State: Sendable {
        /// Existing pods whose anti-affinity selects the incoming pod.
        var existingAntiAffinity: [TopologyPair: Int64] = [:]
        /// Existing pods matching all the incoming pod's affinity terms.
        var affinity: [TopologyPair: Int64] = [:]
        /// Existing pods matching one of the incoming pod's anti-affinity terms.
        var antiAffinity: [TopologyPair: Int64] = [:]
    }

    static func preFilter(_ pod: PodInfo, snapshot: Snapshot) -> State? {
        let scanAll = pod.hasRequiredAffinity || pod.hasRequiredAntiAffinity
        guard scanAll || snapshot.podsWithRequiredAntiAffinity > 0 else { return nil }
        var state = State()
        for info in snapshot.nodes where scanAll || info.podsWithRequiredAntiAffinity > 0 {
            let labels = info.node.labels
            func count(_ key: String, into counts: inout [TopologyPair: Int64]) {
                if let value = labels[key] { counts[TopologyPair(key: key, value: value), default: 0] += 1 }
            }
            for existing in info.pods.values {
                for term in existing.requiredAntiAffinityTerms where term.matches(pod) {
                    count(term.topologyKey, into: &state.existingAntiAffinity)
                }
                if existing.matchesAll(pod.requiredAffinityTerms) {
                    for term in pod.requiredAffinityTerms { count(term.topologyKey, into: &state.affinity) }
                }
                for term in pod.requiredAntiAffinityTerms where term.matches(existing) {
                    count(term.topologyKey, into: &state.antiAffinity)
                }
            }
        }
        return state
    }

    /// Counts `existing` in (`delta` 1) or out of (-1) the domains of `node`, dropping domains
    /// whose count falls to zero (upstream's PreFilter extensions `AddPod` and `RemovePod`).
    static func update(_ state: inout State, for pod: PodInfo, existing: PodInfo, on node: Node, delta: Int64) {
        func update(_ key: String, _ counts: inout [TopologyPair: Int64]) {
            guard let value = node.labels[key] else { return }
            let pair = TopologyPair(key: key, value: value)
            counts[pair, default: 0] += delta
            if counts[pair] == 0 { counts[pair] = nil }
        }
        for term in existing.requiredAntiAffinityTerms where term.matches(pod) { update(term.topologyKey, &state.existingAntiAffinity) }
        if existing.matchesAll(pod.requiredAffinityTerms) {
            for term in pod.requiredAffinityTerms { update(term.topologyKey, &state.affinity) }
        }
        for term in pod.requiredAntiAffinityTerms where term.matches(existing) { update(term.topologyKey, &state.antiAffinity) }
    }

    func filter(_ pod: PodInfo, on node: NodeInfo, state: CycleState) -> FilterFailure? {
        guard let counts = state.interPodAffinity else { return nil }
        let labels = node.node.labels
        if !counts.existingAntiAffinity.isEmpty,
           labels.contains(where: { counts.existingAntiAffinity[TopologyPair(key: $0.key, value: $0.value), default: 0] > 0 }) {
            return .unschedulable(Self.existingAntiAffinityReason)
        }
        for term in pod.requiredAntiAffinityTerms {
            if let value = labels[term.topologyKey], counts.antiAffinity[TopologyPair(key: term.topologyKey, value: value), default: 0] > 0 {
                return .unschedulable(Self.antiAffinityReason)
            }
        }
        if !satisfiesAffinity(pod, labels: labels, counts: counts) { return .unresolvable(Self.affinityReason) }
        return nil
    }

    /// Every affinity term has a matching pod in the node's domain; or no pod anywhere matches and
    /// the pod matches its own terms (the first of a group), and the node has every topology key.
    private func satisfiesAffinity(_ pod: PodInfo, labels: [String: String], counts: State) -> Bool {
        var podsExist = true
        for term in pod.requiredAffinityTerms {
            guard let value = labels[term.topologyKey] else { return false }
            if counts.affinity[TopologyPair(key: term.topologyKey, value: value), default: 0] <= 0 { podsExist = false }
        }
        return podsExist || (counts.affinity.isEmpty && pod.matchesAll(pod.requiredAffinityTerms))
    }
}
