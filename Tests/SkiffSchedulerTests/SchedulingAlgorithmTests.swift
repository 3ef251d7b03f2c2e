import SkiffAPI
import SkiffClient
@testable import SkiffScheduler
import Testing

@Suite struct SchedulingAlgorithmTests {
    @Test func feasibleNodesToFindFollowsUpstreamsAdaptivePercentage() {
        let algorithm = SchedulingAlgorithm()
        #expect(algorithm.feasibleNodesToFind(among: 50) == 50)
        #expect(algorithm.feasibleNodesToFind(among: 100) == 100)
        #expect(algorithm.feasibleNodesToFind(among: 1000) == 420)  // 50 - 8 = 42%
        #expect(algorithm.feasibleNodesToFind(among: 5000) == 500)  // 50 - 40 = 10%
        #expect(algorithm.feasibleNodesToFind(among: 10000) == 500)  // at least 5%
        #expect(algorithm.feasibleNodesToFind(among: 150) == 100)  // at least 100 nodes
        var fixed = SchedulingAlgorithm()
        fixed.percentageOfNodesToScore = 100
        #expect(fixed.feasibleNodesToFind(among: 1000) == 1000)
    }

    @Test func theFilterWindowRotatesAcrossCycles() {
        let infos = (0..<200).map { Fixtures.nodeInfo(Fixtures.node("n\($0)")) }
        let algorithm = SchedulingAlgorithm()
        var start = 0
        var random = SystemRandomNumberGenerator()
        _ = algorithm.schedule(PodInfo(json: Fixtures.pod("p")), snapshot: Fixtures.snapshot(infos), startIndex: &start, random: &random)
        #expect(start == 100)
        _ = algorithm.schedule(PodInfo(json: Fixtures.pod("q")), snapshot: Fixtures.snapshot(infos), startIndex: &start, random: &random)
        #expect(start == 0)
    }

    @Test func failureMessageCountsReasonsLikeUpstream() {
        let infos = [
            Fixtures.nodeInfo(Fixtures.node("tainted", taints: [Fixtures.taint("key", "value")])),
            Fixtures.nodeInfo(Fixtures.node("small1", cpu: "1")),
            Fixtures.nodeInfo(Fixtures.node("small2", cpu: "1")),
        ]
        var start = 0
        var random = SystemRandomNumberGenerator()
        let result = SchedulingAlgorithm().schedule(
            PodInfo(json: Fixtures.pod("big", cpu: "2")), snapshot: Fixtures.snapshot(infos), startIndex: &start, random: &random)
        guard case .failure(.fit(var error)) = result else {
            Issue.record("expected a failure, got \(result)")
            return
        }
        // The second part is preemption's (the PostFilter's): no node has pods to evict.
        error.postFilterMessage = DefaultPreemption().preempt(
            PodInfo(json: Fixtures.pod("big", cpu: "2")), snapshot: Fixtures.snapshot(infos), failures: error.failures, budgets: [],
            now: Timestamp(seconds: 0), random: &random
        ).message
        #expect(error.message == "0/3 nodes are available: 1 node(s) had untolerated taint {key: value}, 2 Insufficient cpu. "
            + "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..")
        #expect(SchedulingAlgorithm.Failure.noNodes.message == "no nodes available to schedule pods")
    }

    @Test func scoresPreferFreeBalancedUntaintedPreferredNodes() {
        let busy = Fixtures.nodeInfo(Fixtures.node("busy"), pods: [Fixtures.pod("a", cpu: "3", memory: "6Gi")])
        let idle = Fixtures.nodeInfo(Fixtures.node("idle"))
        let algorithm = SchedulingAlgorithm()
        let pod = PodInfo(json: Fixtures.pod("p", cpu: "100m", memory: "128Mi"))
        let totals = algorithm.score(pod, nodes: [busy, idle])
        #expect(totals[1] > totals[0])
        // LeastAllocated on its own: (4000-100)/4000 and (8Gi-128Mi)/8Gi → 97 and 98 → 97.
        #expect(NodeResourcesFit().score(pod, on: idle) == 97)
        #expect(BalancedAllocation().score(pod, on: idle) == 99)
        let soft = Fixtures.nodeInfo(Fixtures.node("soft", taints: [Fixtures.taint("x", effect: "PreferNoSchedule")]))
        var taintScores = [soft, idle].map { TaintToleration().score(pod, on: $0) }
        TaintToleration().normalize(&taintScores)
        #expect(taintScores == [0, 100])
        let preferring = PodInfo(json: Fixtures.pod("p", spec: ["affinity": ["nodeAffinity": ["preferredDuringSchedulingIgnoredDuringExecution": [
            ["weight": 10, "preference": ["matchExpressions": [["key": "kubernetes.io/hostname", "operator": "In", "values": ["soft"]]]]],
        ]]]]))
        var affinityScores = [soft, idle].map { NodeAffinity().score(preferring, on: $0) }
        NodeAffinity().normalize(&affinityScores)
        #expect(affinityScores == [100, 0])
    }

    @Test func cacheAccountsAssumedPodsAndForgetsThem() {
        let cache = SchedulerCache()
        cache.upsert(node: Node(json: Fixtures.node("n1", cpu: "1")))
        let pod = PodInfo(json: Fixtures.pod("p", cpu: "600m"))
        cache.assume(pod, on: "n1")
        #expect(cache.isAssumed(key: pod.key))
        #expect(cache.snapshot().nodes[0].requested.milliCPU == 600)
        cache.forget(key: pod.key)
        #expect(cache.snapshot().nodes[0].requested.milliCPU == 0)
        cache.assume(pod, on: "n1")
        cache.upsert(boundPod: PodInfo(json: Fixtures.pod("p", cpu: "600m", spec: ["nodeName": "n1"])))
        #expect(!cache.isAssumed(key: pod.key))
        cache.forget(key: pod.key)
        #expect(cache.snapshot().nodes[0].requested.milliCPU == 600, "a confirmed pod is not forgotten")
        #expect(cache.upsert(node: Node(json: Fixtures.node("n1", cpu: "1"))) == false, "an unchanged node is no change")
        cache.removeNode(named: "n1")
        #expect(cache.snapshot().nodes.isEmpty)
        cache.upsert(node: Node(json: Fixtures.node("n1", cpu: "2")))
        #expect(cache.snapshot().nodes[0].requested.milliCPU == 600, "pods outlive their node's removal and re-adding")
    }
}
