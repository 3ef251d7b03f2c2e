import SkiffAPI

/// Upstream's `DefaultPreemption` PostFilter plugin: when no node fits a pod, looks for nodes
/// where evicting pods of lower priority would make it fit (re-running the filters without
/// them), keeps as many of them as still lets it fit, and picks the node whose evictions cost
/// least. The scheduler then evicts the victims and nominates the node for the pod.
struct DefaultPreemption: Sendable {
    static let notHelpful = "Preemption is not helpful for scheduling"
    static let noVictims = "No preemption victims found for incoming pod"
    static let preemptionPolicyNever = "not eligible due to preemptionPolicy=Never."
    static let terminatingOnNominatedNode = "not eligible due to a terminating pod on the nominated node."

    /// The filters the dry runs re-run.
    var algorithm = SchedulingAlgorithm()
    /// Upstream's `minCandidateNodesPercentage` and `minCandidateNodesAbsolute` defaults: how
    /// many candidate nodes to find before choosing among them.
    var minCandidateNodesPercentage = 10
    var minCandidateNodesAbsolute = 100

    /// What preemption decided for a pod that fits nowhere.
    struct Result: Sendable {
        /// The pod's new `status.nominatedNodeName` ("" clears it); nil leaves it as it is.
        var nominatedNode: String?
        /// The pods to evict from the nominated node, the most important first.
        var victims: [PodInfo] = []
        /// Pods of lower priority nominated to the same node: their nominations are cleared.
        var displacedNominations: [PodInfo] = []
        /// The PostFilter's part of the failure message ("preemption: …"), empty when a node was nominated.
        var message = ""
    }

    /// Runs preemption for `pod` after the filters failed on every node with `failures`.
    func preempt<Random: RandomNumberGenerator>(
        _ pod: PodInfo, snapshot: Snapshot, failures: [String: FilterFailure], budgets: [DisruptionBudget], now: Timestamp,
        random: inout Random
    ) -> Result {
        if let reason = ineligibility(of: pod, snapshot: snapshot, failures: failures) {
            return Result(message: "preemption: \(reason)")
        }
        let potential = snapshot.nodes.filter { failures[$0.name]?.code == .unschedulable }
        var statuses: [String: FilterFailure] = [:]
        var candidates: [PreemptionCandidate] = []
        if !potential.isEmpty {
            let state = CycleState(pod, snapshot: snapshot)
            let offset = Int.random(in: 0..<potential.count, using: &random)
            let wanted = candidatesToFind(among: potential.count)
            var nonViolating: [PreemptionCandidate] = []
            var violating: [PreemptionCandidate] = []
            for step in potential.indices {
                let info = potential[(offset + step) % potential.count]
                switch selectVictims(for: pod, on: info, state: state, snapshot: snapshot, budgets: budgets, now: now) {
                case .success(let candidate):
                    if candidate.pdbViolations == 0 { nonViolating.append(candidate) } else { violating.append(candidate) }
                case .failure(let failure):
                    statuses[info.name] = failure
                }
                if !nonViolating.isEmpty && nonViolating.count + violating.count >= wanted { break }
            }
            candidates = nonViolating + violating
        }
        guard let best = PreemptionCandidate.best(of: candidates, now: now) else {
            for info in snapshot.nodes where statuses[info.name] == nil {
                statuses[info.name] = .unresolvable(Self.notHelpful)
            }
            let fitError = FitError(numberOfNodes: snapshot.nodes.count, failures: statuses)
            return Result(nominatedNode: "", message: "preemption: \(fitError.message)")
        }
        let displaced = (snapshot.nominated[best.node] ?? []).filter { $0.priority < pod.priority }
        return Result(nominatedNode: best.node, victims: best.victims, displacedNominations: displaced)
    }

    /// Why the pod may not preempt now, or nil (upstream's `PodEligibleToPreemptOthers`): its
    /// policy is `Never`, or it already preempted on its nominated node, which still suits it, and
    /// a victim there is still terminating.
    func ineligibility(of pod: PodInfo, snapshot: Snapshot, failures: [String: FilterFailure]) -> String? {
        if !pod.mayPreempt { return Self.preemptionPolicyNever }
        let nominated = pod.nominatedNodeName
        guard !nominated.isEmpty, let status = failures[nominated], status.code != .unresolvable,
              let info = snapshot.nodes.first(where: { $0.name == nominated })
        else { return nil }
        let victimTerminating = info.pods.values.contains { $0.priority < pod.priority && $0.isTerminatingByPreemption }
        return victimTerminating ? Self.terminatingOnNominatedNode : nil
    }

    /// How many candidate nodes to find among `nodes` potential ones (upstream's `calculateNumCandidates`).
    func candidatesToFind(among nodes: Int) -> Int {
        min(max(nodes * minCandidateNodesPercentage / 100, minCandidateNodesAbsolute), nodes)
    }
}
