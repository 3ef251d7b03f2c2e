import SkiffAPI
@testable import SkiffScheduler
import Testing

/// Victim selection, the choice among candidate nodes and nominated pods, on fixtures in memory.
@Suite struct PreemptionTests {
    static let now = Timestamp(seconds: 1_000_000)

    static func pod(
        _ name: String, priority: Int64, cpu: String, labels: [String: String] = [:], started: Int64? = nil,
        spec extra: [String: JSONValue] = [:]
    ) -> PodInfo {
        var spec = extra
        spec["priority"] = .int(priority)
        var json = Fixtures.pod(name, labels: labels, cpu: cpu, spec: spec)
        if let started { json["status"] = ["startTime": .string(Timestamp(seconds: started).rfc3339)] }
        return PodInfo(json: json)
    }

    static func node(_ name: String, cpu: String = "4", pods: [PodInfo]) -> NodeInfo {
        var info = Fixtures.nodeInfo(Fixtures.node(name, cpu: cpu))
        pods.forEach { info.add($0) }
        return info
    }

    static func victims(_ pod: PodInfo, on info: NodeInfo, budgets: [DisruptionBudget] = []) -> Result<PreemptionCandidate, FilterFailure> {
        let snapshot = Fixtures.snapshot([info])
        return DefaultPreemption().selectVictims(
            for: pod, on: info, state: CycleState(pod, snapshot: snapshot), snapshot: snapshot, budgets: budgets, now: now)
    }

    static func failure(_ result: Result<PreemptionCandidate, FilterFailure>) -> FilterFailure? {
        guard case .failure(let failure) = result else { return nil }
        return failure
    }

    static func preempt(_ pod: PodInfo, _ infos: [NodeInfo], budgets: [DisruptionBudget] = []) -> (DefaultPreemption.Result, FitError?) {
        let snapshot = Fixtures.snapshot(infos)
        var start = 0
        var random = SystemRandomNumberGenerator()
        guard case .failure(.fit(var error)) = SchedulingAlgorithm().schedule(pod, snapshot: snapshot, startIndex: &start, random: &random)
        else { return (DefaultPreemption.Result(), nil) }
        let result = DefaultPreemption().preempt(pod, snapshot: snapshot, failures: error.failures, budgets: budgets, now: now, random: &random)
        error.postFilterMessage = result.message
        return (result, error)
    }

    @Test func victimsAreTheFewestLowerPriorityPodsFromTheLeastImportant() throws {
        let info = Self.node("n", pods: [
            Self.pod("low1", priority: 1, cpu: "2"), Self.pod("low2", priority: 2, cpu: "1"), Self.pod("low3", priority: 3, cpu: "1"),
            Self.pod("high", priority: 100, cpu: "0"),
        ])
        let candidate = try Self.victims(Self.pod("p", priority: 10, cpu: "2"), on: info).get()
        #expect(candidate.victims.map(\.name) == ["low1"])
        #expect(candidate.pdbViolations == 0)
    }

    @Test func aNodeWithoutLowerPriorityPodsOrRoomReportsWhy() {
        let busy = Self.node("n", pods: [Self.pod("equal", priority: 10, cpu: "4")])
        #expect(Self.failure(Self.victims(Self.pod("p", priority: 10, cpu: "2"), on: busy)) == .unresolvable(DefaultPreemption.noVictims))
        let small = Self.node("n", cpu: "1", pods: [Self.pod("low", priority: 1, cpu: "1")])
        #expect(Self.failure(Self.victims(Self.pod("p", priority: 10, cpu: "2"), on: small)) == .unschedulable("Insufficient cpu"))
    }

    @Test func podsProtectedByABudgetAreSparedFirst() throws {
        let protected = Self.pod("db", priority: 1, cpu: "2", labels: ["app": "db"], started: 100)
        let plain = Self.pod("web", priority: 1, cpu: "2", labels: ["app": "web"], started: 200)
        let info = Self.node("n", pods: [protected, plain])
        let budget = DisruptionBudget(namespace: "default", selector: LabelSelector(matchLabels: ["app": "db"]), disruptionsAllowed: 0)
        let candidate = try Self.victims(Self.pod("p", priority: 10, cpu: "2"), on: info, budgets: [budget]).get()
        #expect(candidate.victims.map(\.name) == ["web"])
        #expect(candidate.pdbViolations == 0)
        // Without the budget the more important (earlier started) pod is spared.
        let unprotected = try Self.victims(Self.pod("p", priority: 10, cpu: "2"), on: info).get()
        #expect(unprotected.victims.map(\.name) == ["web"])
        // A pod already counted as disrupted, or a budget with room, does not violate.
        let room = DisruptionBudget(namespace: "default", selector: LabelSelector(matchLabels: ["app": "db"]), disruptionsAllowed: 1)
        #expect(DisruptionBudget.partition([protected, plain], by: [room]).violating.isEmpty)
        #expect(DisruptionBudget.partition([protected, plain], by: [budget]).violating.map(\.name) == ["db"])
        let disrupted = DisruptionBudget(
            namespace: "default", selector: LabelSelector(matchLabels: ["app": "db"]), disruptionsAllowed: 0, disruptedPods: ["db"])
        #expect(DisruptionBudget.partition([protected], by: [disrupted]).violating.isEmpty)
    }

    @Test func candidatesAreRankedAsUpstream() {
        func candidate(_ node: String, violations: Int = 0, _ victims: PodInfo...) -> PreemptionCandidate {
            PreemptionCandidate(node: node, victims: victims, pdbViolations: violations)
        }
        let best = { (candidates: [PreemptionCandidate]) in PreemptionCandidate.best(of: candidates, now: Self.now)?.node }
        let low = Self.pod("low", priority: 1, cpu: "1", started: 10)
        let mid = Self.pod("mid", priority: 5, cpu: "1", started: 10)
        #expect(best([candidate("a", violations: 1, low), candidate("b", mid)]) == "b")
        #expect(best([candidate("a", mid), candidate("b", low, low)]) == "b")
        #expect(best([candidate("a", mid, mid), candidate("b", mid, low)]) == "b")
        #expect(best([candidate("a", low, low), candidate("b", low)]) == "b")
        let late = Self.pod("late", priority: 1, cpu: "1", started: 50)
        #expect(best([candidate("a", low), candidate("b", late)]) == "b")
        #expect(best([candidate("a", low), candidate("b", low)]) == "a")
        #expect(best([]) == nil)
    }

    @Test func preemptionNominatesTheCheapestNode() throws {
        let infos = [
            Self.node("important", pods: [Self.pod("a", priority: 50, cpu: "4")]),
            Self.node("cheap", pods: [Self.pod("b", priority: 1, cpu: "4")]),
            Self.node("equal", pods: [Self.pod("c", priority: 100, cpu: "4")]),
        ]
        let (result, error) = Self.preempt(Self.pod("p", priority: 100, cpu: "2"), infos)
        #expect(result.nominatedNode == "cheap")
        #expect(result.victims.map(\.name) == ["b"])
        #expect(error?.message == "0/3 nodes are available: 3 Insufficient cpu.")
    }

    @Test func failuresCarryUpstreamsPreemptionMessages() {
        let full = [Self.node("n", pods: [Self.pod("a", priority: 100, cpu: "4")])]
        let (none, noneError) = Self.preempt(Self.pod("p", priority: 10, cpu: "2"), full)
        #expect(none.nominatedNode == "")
        #expect(noneError?.message == "0/1 nodes are available: 1 Insufficient cpu. "
            + "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..")

        let lower = [Self.node("n", pods: [Self.pod("a", priority: 1, cpu: "4")])]
        let never = Self.pod("p", priority: 10, cpu: "2", spec: ["preemptionPolicy": "Never"])
        let (refused, refusedError) = Self.preempt(never, lower)
        #expect(refused.nominatedNode == nil)
        #expect(refused.victims.isEmpty)
        #expect(refusedError?.message == "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..")

        var untolerated = Fixtures.nodeInfo(Fixtures.node("t", taints: [Fixtures.taint("key", "value")]))
        untolerated.add(Self.pod("x", priority: 1, cpu: "1"))
        let (_, mixedError) = Self.preempt(Self.pod("p", priority: 10, cpu: "8"), [untolerated, Self.node("n", pods: [Self.pod("a", priority: 1, cpu: "1")])])
        #expect(mixedError?.message == "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {key: value}. "
            + "preemption: 0/2 nodes are available: 1 Insufficient cpu, 1 Preemption is not helpful for scheduling..")
    }

    @Test func nominatedPodsKeepTheirRoomFromLowerPriorityPods() {
        let info = Self.node("n", pods: [])
        let nominated = Self.pod("nominated", priority: 10, cpu: "3")
        var snapshot = Fixtures.snapshot([info])
        snapshot.nominated = ["n": [nominated]]
        let algorithm = SchedulingAlgorithm()
        func filter(_ pod: PodInfo) -> FilterFailure? {
            algorithm.filter(pod, on: info, state: CycleState(pod, snapshot: snapshot), snapshot: snapshot)
        }
        #expect(filter(Self.pod("lower", priority: 1, cpu: "2")) == .unschedulable("Insufficient cpu"))
        #expect(filter(Self.pod("higher", priority: 20, cpu: "2")) == nil)
        #expect(filter(nominated) == nil)
    }

    @Test func theNominatorFollowsStatusAndKeepsItsOwnNominations() {
        let nominator = NominatedPods()
        let pod = Self.pod("p", priority: 10, cpu: "1")
        nominator.nominate(pod, to: "n1")
        // An update that names no node (the informer has not seen the nomination yet) keeps it.
        nominator.update(old: pod, pod)
        #expect(nominator.pods(on: "n1").map(\.name) == ["p"])
        var json = Fixtures.pod("p", cpu: "1", spec: ["priority": 10])
        json["status"] = ["nominatedNodeName": "n2"]
        let moved = PodInfo(json: json)
        nominator.update(old: pod, moved)
        #expect(nominator.pods(on: "n1").isEmpty)
        #expect(nominator.snapshot()["n2"]?.map(\.name) == ["p"])
        nominator.update(old: moved, pod)
        #expect(nominator.snapshot().isEmpty)
        nominator.nominate(pod, to: "n1")
        nominator.remove(key: pod.key)
        #expect(nominator.snapshot().isEmpty)
    }
}
