import SkiffAPI

extension DefaultPreemption {
    /// The fewest pods to evict from `info` for `pod` to fit (upstream's `SelectVictimsOnNode`):
    /// removes every pod of lower priority and checks that the pod then fits; then gives back as
    /// many of them as possible, from the most important down, those whose eviction would
    /// violate a PodDisruptionBudget first. A node without lower-priority pods, or where the pod
    /// does not fit even without them, reports why.
    func selectVictims(
        for pod: PodInfo, on info: NodeInfo, state: CycleState, snapshot: Snapshot, budgets: [DisruptionBudget], now: Timestamp
    ) -> Swift.Result<PreemptionCandidate, FilterFailure> {
        var node = info
        var state = state
        let potential = info.pods.values.filter { $0.priority < pod.priority }
        guard !potential.isEmpty else { return .failure(.unresolvable(Self.noVictims)) }
        for victim in potential {
            node.remove(key: victim.key)
            state.remove(victim, on: info.node, for: pod)
        }
        if let failure = algorithm.filter(pod, on: node, state: state, snapshot: snapshot) { return .failure(failure) }
        let ordered = potential.sorted { PreemptionCandidate.moreImportant($0, $1, now: now) }
        let (violating, nonViolating) = DisruptionBudget.partition(ordered, by: budgets)
        var victims: [PodInfo] = []
        /// Puts `victim` back; keeps it evicted (and returns false) when the pod no longer fits.
        func reprieve(_ victim: PodInfo) -> Bool {
            node.add(victim)
            state.add(victim, on: info.node, for: pod)
            guard algorithm.filter(pod, on: node, state: state, snapshot: snapshot) != nil else { return true }
            node.remove(key: victim.key)
            state.remove(victim, on: info.node, for: pod)
            victims.append(victim)
            return false
        }
        var violations = 0
        for victim in violating where !reprieve(victim) { violations += 1 }
        for victim in nonViolating { _ = reprieve(victim) }
        guard !victims.isEmpty else {
            return .failure(.unresolvable("expected at least one victim pod on node \"\(info.name)\""))
        }
        if !violating.isEmpty && !nonViolating.isEmpty {
            victims.sort { PreemptionCandidate.moreImportant($0, $1, now: now) }
        }
        return .success(PreemptionCandidate(node: info.name, victims: victims, pdbViolations: violations))
    }
}
