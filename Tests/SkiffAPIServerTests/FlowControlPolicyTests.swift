import SkiffAPI
import Testing

@testable import SkiffAPIServer

@Suite struct FlowControlPolicyTests {
    private static let bootstrap = FlowControlConfiguration(
        flowSchemas: FlowControlBootstrap.mandatoryFlowSchemas + FlowControlBootstrap.suggestedFlowSchemas,
        priorityLevels: FlowControlBootstrap.mandatoryPriorityLevels + FlowControlBootstrap.suggestedPriorityLevels)

    private static func resource(_ verb: String, _ resource: String, group: String = "", namespace: String = "", subresource: String = "") -> RequestInfo {
        RequestInfo.resource(verb, resource, group: group, namespace: namespace, subresource: subresource)
    }

    private static func schema(_ user: UserInfo, _ info: RequestInfo, in configuration: FlowControlConfiguration = bootstrap) -> String {
        configuration.classify(user, info).flowSchema.name
    }

    @Test func bootstrapSchemasClassifyAsUpstream() {
        let authenticated = UserInfo.allAuthenticated
        let admin = UserInfo(name: "kubernetes-admin", groups: [UserInfo.privilegedGroup, authenticated])
        let node = UserInfo(name: "system:node:n1", groups: ["system:nodes", authenticated])
        let scheduler = UserInfo(name: "system:kube-scheduler", groups: [authenticated])
        let kubeSystem = UserInfo(name: "system:serviceaccount:kube-system:replicaset-controller", groups: ["system:serviceaccounts", authenticated])
        let account = UserInfo(name: "system:serviceaccount:default:app", groups: ["system:serviceaccounts", authenticated])
        let jane = UserInfo(name: "jane", groups: [authenticated])
        let nobody = UserInfo(name: UserInfo.anonymous, groups: [UserInfo.allUnauthenticated])

        #expect(Self.schema(admin, Self.resource("delete", "pods", namespace: "default")) == "exempt")
        #expect(Self.schema(node, Self.resource("update", "nodes", subresource: "status")) == "system-node-high")
        #expect(Self.schema(node, Self.resource("update", "leases", group: "coordination.k8s.io", namespace: "kube-node-lease")) == "system-node-high")
        #expect(Self.schema(node, Self.resource("get", "pods", namespace: "default")) == "system-nodes")
        #expect(Self.schema(scheduler, Self.resource("update", "leases", group: "coordination.k8s.io", namespace: "kube-system")) == "system-leader-election")
        #expect(Self.schema(scheduler, Self.resource("list", "pods")) == "kube-scheduler")
        #expect(Self.schema(kubeSystem, Self.resource("get", "configmaps", namespace: "apps")) == "workload-leader-election")
        #expect(Self.schema(kubeSystem, Self.resource("list", "replicasets", group: "apps")) == "kube-system-service-accounts")
        #expect(Self.schema(account, Self.resource("list", "pods", namespace: "default")) == "service-accounts")
        #expect(Self.schema(jane, Self.resource("list", "pods", namespace: "default")) == "global-default")
        #expect(Self.schema(nobody, RequestInfo(path: "/readyz", verb: "get")) == "probes")
        #expect(Self.schema(nobody, RequestInfo(path: "/version", verb: "get")) == "global-default")
        #expect(Self.bootstrap.classify(admin, RequestInfo(path: "/api", verb: "get")).priorityLevel.isExempt)
        #expect(Self.bootstrap.classify(jane, RequestInfo(path: "/api", verb: "get")).flowDistinguisher == "jane")
        #expect(Self.bootstrap.classify(scheduler, Self.resource("list", "pods", namespace: "ns1")).flowDistinguisher == "ns1")
    }

    @Test func danglingSchemasAreSkippedAndMandatoryOnesStandIn() {
        let dangling: JSONValue = ["metadata": ["name": "to-nowhere"], "spec": [
            "matchingPrecedence": 50, "priorityLevelConfiguration": ["name": "missing"],
            "rules": [["subjects": [["kind": "User", "user": ["name": "*"]]], "nonResourceRules": [["verbs": ["*"], "nonResourceURLs": ["*"]]]]],
        ]]
        let configuration = FlowControlConfiguration(flowSchemas: [dangling], priorityLevels: [])
        let jane = UserInfo(name: "jane", groups: [UserInfo.allAuthenticated])
        #expect(configuration.flowSchemas.map(\.name) == ["exempt", "catch-all"])
        #expect(Self.schema(jane, RequestInfo(path: "/version", verb: "get"), in: configuration) == "catch-all")
        #expect(configuration.classify(jane, RequestInfo(path: "/version", verb: "get")).priorityLevel.queuing == nil)
    }

    @Test func rulesMatchSubresourcesScopesAndURLPrefixes() {
        let rule = FlowSchemaPolicy.ResourceRule(verbs: ["get"], apiGroups: [""], resources: ["pods/log"], clusterScope: false, namespaces: ["a"])
        #expect(rule.matches(Self.resource("get", "pods", namespace: "a", subresource: "log")))
        #expect(!rule.matches(Self.resource("get", "pods", namespace: "a")))
        #expect(!rule.matches(Self.resource("get", "pods", subresource: "log")))
        let urls = FlowSchemaPolicy.NonResourceRule(verbs: ["*"], urls: ["/healthz", "/apis/*"])
        #expect(urls.matches(RequestInfo(path: "/healthz/etcd", verb: "get")))
        #expect(urls.matches(RequestInfo(path: "/apis/apps", verb: "get")))
        #expect(!urls.matches(RequestInfo(path: "/healthzx", verb: "get")))
        let tie = ["b", "a"].map { name -> JSONValue in
            ["metadata": ["name": .string(name), "uid": .string(name)], "spec": [
                "matchingPrecedence": 10, "priorityLevelConfiguration": ["name": "catch-all"],
                "rules": [["subjects": [["kind": "Group", "group": ["name": "*"]]], "nonResourceRules": [["verbs": ["*"], "nonResourceURLs": ["*"]]]]],
            ]]
        }
        let configuration = FlowControlConfiguration(flowSchemas: tie, priorityLevels: [])
        #expect(Self.schema(UserInfo(name: "jane"), RequestInfo(path: "/", verb: "get"), in: configuration) == "a")
    }

    @Test func serverConcurrencyIsSharedOutAsUpstream() {
        let limits = Self.bootstrap.limits(serverLimit: 600)
        #expect(limits.mapValues(\.nominal) == [
            "exempt": 0, "catch-all": 13, "system": 74, "node-high": 98, "leader-election": 25,
            "workload-high": 98, "workload-low": 245, "global-default": 49,
        ])
        // Less half the lendable seats: 49 - round(24.5) / 2.
        #expect(limits["global-default"]?.current == 37)
        #expect(limits["leader-election"]?.current == 25)
        #expect(Self.bootstrap.limits(serverLimit: 2).values.allSatisfy { $0.nominal <= 1 })
    }

    @Test func dealerDealsDistinctCardsStably() {
        let dealer = ShuffleShardDealer(deckSize: 128, handSize: 6)
        for flow in ["jane", "bob", "system:node:n1"] {
            let hand = dealer.deal(ShuffleShardDealer.hash("global-default", flow))
            #expect(Set(hand).count == 6)
            #expect(hand.allSatisfy { (0..<128).contains($0) })
            #expect(hand == dealer.deal(ShuffleShardDealer.hash("global-default", flow)))
        }
        #expect(ShuffleShardDealer(deckSize: 3, handSize: 6).deal(42).sorted() == [0, 1, 2])
    }

    @Test func queueSetQueuesRejectsAndDispatchesInTurn() {
        var set = FairQueueSet<String>(.init(concurrencyLimit: 1, queuing: .init(queues: 1, handSize: 1, queueLengthLimit: 2)))
        #expect(set.arrive("a", flowHash: 1) == .dispatched)
        #expect(set.arrive("b", flowHash: 1) == .queued(index: 0))
        #expect(set.arrive("c", flowHash: 2) == .queued(index: 0))
        #expect(set.arrive("d", flowHash: 3) == .rejected(.queueFull))
        let removed = set.remove("c")
        let removedAgain = set.remove("c")
        #expect(removed && !removedAgain)
        #expect(set.finish() == ["b"])
        #expect(set.finish() == [])
        #expect(set.executing == 0)

        var rejecting = FairQueueSet<String>(.init(concurrencyLimit: 1, queuing: nil))
        #expect(rejecting.arrive("a", flowHash: 1) == .dispatched)
        #expect(rejecting.arrive("b", flowHash: 1) == .rejected(.concurrencyLimit))

        // Freed seats go to the queues in turn, not to the longest one.
        var fair = FairQueueSet<String>(.init(concurrencyLimit: 1, queuing: .init(queues: 2, handSize: 1, queueLengthLimit: 10)))
        let dealer = ShuffleShardDealer(deckSize: 2, handSize: 1)
        let one = (UInt64(0)...).first { dealer.deal($0) == [0] }!
        let other = (UInt64(0)...).first { dealer.deal($0) == [1] }!
        #expect(fair.arrive("running", flowHash: one) == .dispatched)
        for ticket in ["x1", "x2", "x3"] { #expect(fair.arrive(ticket, flowHash: one) == .queued(index: 0)) }
        #expect(fair.arrive("y1", flowHash: other) == .queued(index: 1))
        let order = (0..<4).flatMap { _ in fair.finish() }
        #expect(order == ["x1", "y1", "x2", "x3"])

        // A higher limit lets waiting requests in at once.
        var growing = FairQueueSet<String>(.init(concurrencyLimit: 1, queuing: .init(queues: 4, handSize: 2, queueLengthLimit: 10)))
        _ = growing.arrive("a", flowHash: 7)
        _ = growing.arrive("b", flowHash: 7)
        #expect(growing.reconfigure(.init(concurrencyLimit: 2, queuing: .init(queues: 8, handSize: 2, queueLengthLimit: 10))) == ["b"])
    }
}

@Suite struct DroppedRequestsTrackerTests {
    @Test func retryAfterGrowsWhileALevelKeepsRejectingAndShrinksAfter() {
        var tracker = DroppedRequestsTracker()
        // Many rejections in second 100: the answer only changes when a new second starts.
        let first = (0..<5).map { _ in tracker.recordRejection(by: "busy", at: 100) }
        #expect(first == [1, 1, 1, 1, 1])
        #expect(tracker.recordRejection(by: "busy", at: 101) == 2)
        for _ in 0..<10 { _ = tracker.recordRejection(by: "busy", at: 101) }
        #expect(tracker.recordRejection(by: "busy", at: 103) == 4)
        // Quiet seconds: one less at each new second with few rejections.
        #expect(tracker.recordRejection(by: "busy", at: 120) == 3)
        #expect(tracker.recordRejection(by: "busy", at: 140) == 2)
        #expect(tracker.recordRejection(by: "other", at: 140) == 1)
        var flood = DroppedRequestsTracker()
        for second in Int64(0)..<400 {
            for _ in 0..<100 { _ = flood.recordRejection(by: "flood", at: second) }
        }
        #expect(flood.recordRejection(by: "flood", at: 400) == DroppedRequestsTracker.maxRetryAfter)
    }
}
