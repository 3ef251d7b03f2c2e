import SkiffClient
/// One scheduling decision (upstream's `schedulePod`): PreFilter, then Filter over a rotating
/// window of nodes until enough feasible ones are found, then Score and pick the best.
struct SchedulingAlgorithm: Sendable {
    /// Filter plugins in upstream's default order; a node fails at the first that rejects it.
    let filters: [any FilterPlugin] = [
        NodeUnschedulable(), NodeName(), TaintToleration(), NodeAffinity(), NodePorts(), NodeResourcesFit(),
        VolumeBinding(), PodTopologySpread(), InterPodAffinity(),
    ]
    /// Score plugins with upstream's default weights.
    let scores: [any ScorePlugin] = [TaintToleration(), NodeAffinity(), NodeResourcesFit(), BalancedAllocation()]
    /// Upstream's `percentageOfNodesToScore`; 0 means adaptive.
    var percentageOfNodesToScore: Int = 0
    /// Where the VolumeBinding plugin reads claims, volumes and classes; nil: pods' claims are not checked.
    var volumeListers: VolumeBinding.Listers?

    /// Why scheduling failed.
    enum Failure: Error, Sendable, Equatable {
        /// The cluster has no nodes ("no nodes available to schedule pods").
        case noNodes
        case fit(FitError)

        var message: String {
            switch self {
            case .noNodes: "no nodes available to schedule pods"
            case .fit(let error): error.message
            }
        }
    }

    /// How many feasible nodes to look for among `nodes` (upstream's `numFeasibleNodesToFind`):
    /// all below 100 nodes; else 50% minus 1% per 125 nodes, at least 5%, and at least 100 nodes.
    func feasibleNodesToFind(among nodes: Int) -> Int {
        let minimum = 100
        guard nodes >= minimum else { return nodes }
        var percentage = percentageOfNodesToScore
        if percentage == 0 { percentage = max(50 - nodes / 125, 5) }
        return max(nodes * percentage / 100, minimum)
    }

    /// Picks a node for `pod`. `startIndex` is where the filter window starts and is advanced past
    /// the nodes examined, so successive pods look at different nodes first.
    func schedule<Random: RandomNumberGenerator>(
        _ pod: PodInfo, snapshot: Snapshot, startIndex: inout Int, random: inout Random
    ) -> Result<String, Failure> {
        let nodes = snapshot.nodes
        guard !nodes.isEmpty else { return .failure(.noNodes) }
        var state = CycleState(pod, snapshot: snapshot)
        if let volumeListers {
            switch VolumeBinding.preFilter(pod, listers: volumeListers) {
            case .noClaims:
                break
            case .ready(let volumes):
                state.volumeBinding = volumes
            case .unschedulable(let failure):
                // Upstream gives every node the PreFilter's status and reports its message alone.
                let failures = Dictionary(uniqueKeysWithValues: nodes.map { ($0.name, failure) })
                return .failure(.fit(FitError(numberOfNodes: nodes.count, failures: failures, preFilterMessage: failure.reasons.joined(separator: ", "))))
            }
        }
        // A pod that preempted for room tries its nominated node first, alone (upstream's `evaluateNominatedNode`).
        if !pod.nominatedNodeName.isEmpty, let nominated = nodes.first(where: { $0.name == pod.nominatedNodeName }),
           filter(pod, on: nominated, state: state, snapshot: snapshot) == nil {
            return .success(nominated.name)
        }
        let wanted = feasibleNodesToFind(among: nodes.count)
        var feasible: [Int] = []
        feasible.reserveCapacity(wanted)
        var failures: [String: FilterFailure] = [:]
        var examined = 0
        while examined < nodes.count && feasible.count < wanted {
            let index = (startIndex + examined) % nodes.count
            examined += 1
            if let failure = filter(pod, on: nodes[index], state: state, snapshot: snapshot) {
                failures[nodes[index].name] = failure
            } else {
                feasible.append(index)
            }
        }
        startIndex = (startIndex + examined) % nodes.count
        guard !feasible.isEmpty else { return .failure(.fit(FitError(numberOfNodes: nodes.count, failures: failures))) }
        if feasible.count == 1 { return .success(nodes[feasible[0]].name) }
        let totals = score(pod, nodes: feasible.map { nodes[$0] })
        return .success(nodes[feasible[selectHighest(totals, random: &random)]].name)
    }

    /// The first filter failure of `pod` on `node`, or nil when it fits (upstream's
    /// `RunFilterPluginsWithNominatedPods`): when pods of equal or higher priority are nominated
    /// to the node, the pod must fit both with them counted as running and without them.
    func filter(_ pod: PodInfo, on node: NodeInfo, state: CycleState, snapshot: Snapshot) -> FilterFailure? {
        guard !snapshot.nominated.isEmpty else { return firstFailure(pod, on: node, state: state) }
        let nominated = (snapshot.nominated[node.name] ?? []).filter { $0.priority >= pod.priority && $0.key != pod.key }
        guard !nominated.isEmpty else { return firstFailure(pod, on: node, state: state) }
        var withNominated = node
        var stateWithNominated = state
        for other in nominated {
            withNominated.add(other)
            stateWithNominated.add(other, on: node.node, for: pod)
        }
        return firstFailure(pod, on: withNominated, state: stateWithNominated) ?? firstFailure(pod, on: node, state: state)
    }

    private func firstFailure(_ pod: PodInfo, on node: NodeInfo, state: CycleState) -> FilterFailure? {
        for filter in filters {
            if let failure = filter.filter(pod, on: node, state: state) { return failure }
        }
        return nil
    }

    /// The weighted sum of the normalized scores of each node.
    func score(_ pod: PodInfo, nodes: [NodeInfo]) -> [Int64] {
        var totals = Array(repeating: Int64(0), count: nodes.count)
        for plugin in scores {
            var pluginScores = nodes.map { plugin.score(pod, on: $0) }
            plugin.normalize(&pluginScores)
            for index in totals.indices { totals[index] += pluginScores[index] * plugin.weight }
        }
        return totals
    }

    /// The index of the highest score, ties broken uniformly at random (as upstream's reservoir sampling).
    private func selectHighest<Random: RandomNumberGenerator>(_ totals: [Int64], random: inout Random) -> Int {
        var best = 0
        var ties = 1
        for index in totals.indices.dropFirst() {
            if totals[index] > totals[best] {
                best = index
                ties = 1
            } else if totals[index] == totals[best] {
                ties += 1
                if Int.random(in: 0..<ties, using: &random) == 0 { best = index }
            }
        }
        return best
    }
}
