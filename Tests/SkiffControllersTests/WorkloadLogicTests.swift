import SkiffAPI
@testable import SkiffControllers
import SkiffModels
import SkiffTesting
import Testing

/// The pure parts of the StatefulSet and DaemonSet controllers.
@Suite struct WorkloadLogicTests {
    @Test func revisionHashesAreStableSafeAndChangeWithCollisions() {
        let data: JSONValue = ["spec": ["template": ["$patch": "replace", "spec": ["containers": [["name": "web", "image": "nginx"]]]]]]
        let hash = RevisionHash.hash(of: data, collisionCount: 0)
        #expect(hash == RevisionHash.hash(of: data, collisionCount: 0))
        #expect(!hash.isEmpty && hash.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
        #expect(hash != RevisionHash.hash(of: data, collisionCount: 1))
        var other = data
        other[path: "spec", "template", "spec", "containers"] = [["name": "web", "image": "nginx:2"]]
        #expect(hash != RevisionHash.hash(of: other, collisionCount: 0))
        // Upstream's alphabet: the digits 0…9 become 4 5 6 7 8 9 b c d f.
        #expect(RevisionHash.safeEncode("0123456789") == "456789bcdf")
        #expect(RevisionHash.fnv1a32(Array("a".utf8)) == 0xe40c_292c)
    }

    @Test func ordinalsParseFromPodNames() {
        #expect(StatefulSetIdentity.parentAndOrdinal(of: "web-0")?.parent == "web")
        #expect(StatefulSetIdentity.parentAndOrdinal(of: "my-db-12")?.ordinal == 12)
        #expect(StatefulSetIdentity.parentAndOrdinal(of: "my-db-12")?.parent == "my-db")
        #expect(StatefulSetIdentity.parentAndOrdinal(of: "web") == nil)
        #expect(StatefulSetIdentity.parentAndOrdinal(of: "web-") == nil)
        #expect(StatefulSetIdentity.parentAndOrdinal(of: "web-1a") == nil)
        let json: JSONValue = ["metadata": ["name": "web-3"]]
        let pod: CoreV1.Pod = json.typed()
        #expect(StatefulSetIdentity.ordinal(of: pod, inSet: "web") == 3)
        #expect(StatefulSetIdentity.ordinal(of: pod, inSet: "we") == nil)
    }

    @Test func statefulPodsGetIdentityAndClaims() {
        let template: JSONValue = [
            "metadata": ["labels": ["app": "web"]],
            "spec": ["containers": [["name": "web", "image": "nginx"]], "volumes": [["name": "data", "emptyDir": .emptyObject], ["name": "cfg", "emptyDir": .emptyObject]]],
        ]
        let setJSON: JSONValue = [
            "metadata": ["name": "web", "namespace": "default", "uid": "u1"],
            "spec": [
                "serviceName": "nginx", "selector": ["matchLabels": ["app": "web"]], "template": template,
                "volumeClaimTemplates": [["metadata": ["name": "data", "labels": ["tier": "disk"]], "spec": ["accessModes": ["ReadWriteOnce"]]]],
            ],
        ]
        let set: AppsV1.StatefulSet = setJSON.typed()
        let pod = StatefulSetIdentity.pod(of: set, template: template.typed(), ordinal: 2, revision: "web-abc")
        #expect(pod.name == "web-2")
        #expect(pod.metadata?.labels == ["app": "web", "statefulset.kubernetes.io/pod-name": "web-2", "apps.kubernetes.io/pod-index": "2", "controller-revision-hash": "web-abc"])
        #expect(pod.metadata?.ownerReferences?.first?.uid == "u1" && pod.metadata?.ownerReferences?.first?.controller == true)
        #expect(pod.spec?.hostname == "web-2")
        #expect(pod.spec?.subdomain == "nginx")
        #expect(pod.spec?.volumes?.json == [["name": "data", "persistentVolumeClaim": ["claimName": "data-web-2"]], ["name": "cfg", "emptyDir": .emptyObject]])
        let claims = StatefulSetIdentity.claims(of: set, ordinal: 2)
        #expect(claims.map(\.name) == ["data-web-2"])
        #expect(claims.first?.metadata?.labels == ["tier": "disk", "app": "web"])
        #expect(claims.first?.metadata?.ownerReferences == nil, "Retain is the default")
    }

    @Test func rollingUpdateCompletesOnlyWhenEveryPodIsUpdatedAndReady() {
        let set = Self.statefulSet(strategy: "RollingUpdate")
        var status = StatefulSetSync.Status(replicas: 3, ready: 3, current: 2, updated: 1, currentRevision: "web-a", updateRevision: "web-b")
        StatefulSetSync.completeRollingUpdate(set, &status)
        #expect(status.currentRevision == "web-a")
        status.updated = 3
        status.current = 0
        StatefulSetSync.completeRollingUpdate(set, &status)
        #expect(status.currentRevision == "web-b" && status.current == 3)
        var onDelete = StatefulSetSync.Status(replicas: 1, ready: 1, updated: 1, currentRevision: "web-a", updateRevision: "web-b")
        StatefulSetSync.completeRollingUpdate(Self.statefulSet(strategy: "OnDelete"), &onDelete)
        #expect(onDelete.currentRevision == "web-a")
    }

    static func statefulSet(strategy: String) -> AppsV1.StatefulSet {
        AppsV1.StatefulSet(
            spec: AppsV1.StatefulSetSpec(
                selector: MetaV1.LabelSelector(), serviceName: "", template: CoreV1.PodTemplateSpec(),
                updateStrategy: AppsV1.StatefulSetUpdateStrategy(type: strategy)))
    }

    @Test func scaledBudgets() throws {
        #expect(try RolloutBounds.scaled(2, total: 10, roundUp: true) == 2)
        #expect(try RolloutBounds.scaled("25%", total: 10, roundUp: true) == 3)
        #expect(try RolloutBounds.scaled("25%", total: 10, roundUp: false) == 2)
        #expect(try RolloutBounds.scaled(nil, total: 10, roundUp: true) == 0)
    }

    static func node(_ name: String, labels: [String: String] = [:], taints: [JSONValue] = []) -> CoreV1.Node {
        var node: JSONValue = ["metadata": ["name": .string(name)]]
        node.labels = labels
        if !taints.isEmpty { node[path: "spec", "taints"] = .array(taints) }
        return node.typed()
    }

    /// A DaemonSet whose template has `podSpec` (with the `agent` container unless it names containers).
    static func daemonSet(_ podSpec: JSONValue = .emptyObject, template: JSONValue? = nil, rolling: JSONValue? = nil) -> AppsV1.DaemonSet {
        var spec = podSpec
        if spec["containers"] == nil { spec["containers"] = [["name": "a", "image": "agent"]] }
        var daemonSet: JSONValue = [
            "metadata": ["name": "agent", "namespace": "default"], "spec": ["selector": .emptyObject, "template": template ?? ["spec": spec]],
        ]
        if let rolling { daemonSet[path: "spec", "updateStrategy"] = ["type": "RollingUpdate", "rollingUpdate": rolling] }
        return daemonSet.typed()
    }

    @Test func daemonPlacementFollowsSelectorsAndTaints() {
        let daemonSet = Self.daemonSet(["nodeSelector": ["role": "agent"]])
        #expect(DaemonSetPlacement.decision(for: daemonSet, node: Self.node("a", labels: ["role": "agent"])) == .init(shouldRun: true, shouldContinueRunning: true))
        #expect(DaemonSetPlacement.decision(for: daemonSet, node: Self.node("b")) == .init(shouldRun: false, shouldContinueRunning: false))
        let plain = Self.daemonSet()
        let noSchedule = Self.node("c", taints: [["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]])
        #expect(DaemonSetPlacement.decision(for: plain, node: noSchedule) == .init(shouldRun: false, shouldContinueRunning: true))
        let noExecute = Self.node("d", taints: [["key": "dedicated", "value": "gpu", "effect": "NoExecute"]])
        #expect(DaemonSetPlacement.decision(for: plain, node: noExecute) == .init(shouldRun: false, shouldContinueRunning: false))
        // Node conditions are tolerated by default; network-unavailable only for host-network pods.
        let notReady = Self.node("e", taints: [["key": "node.kubernetes.io/not-ready", "effect": "NoExecute"], ["key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"]])
        #expect(DaemonSetPlacement.decision(for: plain, node: notReady).shouldRun)
        let network = Self.node("f", taints: [["key": "node.kubernetes.io/network-unavailable", "effect": "NoSchedule"]])
        #expect(!DaemonSetPlacement.decision(for: plain, node: network).shouldRun)
        #expect(DaemonSetPlacement.decision(for: Self.daemonSet(["hostNetwork": true]), node: network).shouldRun)
    }

    @Test func daemonPodsAreBoundByNodeAffinity() {
        let template: JSONValue = [
            "metadata": ["labels": ["app": "agent"]],
            "spec": [
                "containers": [["name": "a", "image": "agent"]], "tolerations": [["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 30]],
                "affinity": ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [["matchExpressions": [["key": "zone", "operator": "Exists"]]]]]]],
            ],
        ]
        let pod = DaemonSetPlacement.pod(of: Self.daemonSet(template: template), nodeName: "node-a", hash: "h1")
        #expect(pod.metadata?.generateName == "agent-")
        #expect(pod.metadata?.labels == ["app": "agent", "controller-revision-hash": "h1"])
        #expect(DaemonSetPlacement.targetNode(of: pod) == "node-a")
        #expect(pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.json == [
            "nodeSelectorTerms": [["matchFields": [["key": "metadata.name", "operator": "In", "values": ["node-a"]]]]],
        ])
        let tolerations = pod.spec?.tolerations ?? []
        #expect(tolerations.count == 6)
        #expect(tolerations.first?.json == ["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"], "the default replaces a toleration with the same key and effect")
        #expect(DaemonSetPlacement.targetNode(of: CoreV1.Pod(spec: CoreV1.PodSpec(containers: [], nodeName: "node-b"))) == "node-b")
    }

    static func pod(_ name: String, hash: String, ready: Bool) -> CoreV1.Pod {
        var pod: JSONValue = ["metadata": ["name": .string(name), "uid": .string(name), "labels": ["controller-revision-hash": .string(hash)]]]
        if ready { pod["status"] = ["phase": "Running", "conditions": [["type": "Ready", "status": "True"]]] }
        return pod.typed()
    }

    static func entry(_ name: String, _ pods: [CoreV1.Pod]) -> DaemonSetSync.NodePods {
        DaemonSetSync.NodePods(node: node(name), decision: .init(shouldRun: true, shouldContinueRunning: true), pods: pods)
    }

    @Test func rollingUpdateReplacesWithinMaxUnavailable() {
        let daemonSet = Self.daemonSet(rolling: ["maxUnavailable": 1, "maxSurge": 0])
        let byNode = [
            Self.entry("a", [Self.pod("a1", hash: "old", ready: true)]), Self.entry("b", [Self.pod("b1", hash: "old", ready: true)]),
            Self.entry("c", [Self.pod("c1", hash: "old", ready: false)]),
        ]
        // The unavailable old pod goes at once, one available old pod within the budget.
        #expect(DaemonSetSync.rollingUpdate(daemonSet, byNode: byNode, hash: "new", now: .now()).delete.map(\.name) == ["c1", "a1"])
        let updating = [Self.entry("a", [Self.pod("a2", hash: "new", ready: false)]), Self.entry("b", [Self.pod("b1", hash: "old", ready: true)])]
        #expect(DaemonSetSync.rollingUpdate(daemonSet, byNode: updating, hash: "new", now: .now()).isEmpty, "a new pod not yet available uses the budget")
    }

    @Test func rollingUpdateSurgesBeforeDeleting() {
        let daemonSet = Self.daemonSet(rolling: ["maxUnavailable": 0, "maxSurge": 1])
        let byNode = [Self.entry("a", [Self.pod("a1", hash: "old", ready: true)]), Self.entry("b", [Self.pod("b1", hash: "old", ready: true)])]
        #expect(DaemonSetSync.rollingUpdate(daemonSet, byNode: byNode, hash: "new", now: .now()) == .init(createOn: ["a"]))
        let surged = [
            Self.entry("a", [Self.pod("a1", hash: "old", ready: true), Self.pod("a2", hash: "new", ready: true)]),
            Self.entry("b", [Self.pod("b1", hash: "old", ready: true)]),
        ]
        let plan = DaemonSetSync.rollingUpdate(daemonSet, byNode: surged, hash: "new", now: .now())
        #expect(plan.delete.map(\.name) == ["a1"])
        #expect(plan.createOn == ["b"])
        #expect(DaemonSetSync.extraPods(surged[0].pods, hash: "new", surge: true).isEmpty)
        #expect(DaemonSetSync.extraPods(surged[0].pods, hash: "new", surge: false).map(\.name) == ["a2"])
    }
}

/// The back-off between deletions of a DaemonSet's failed pods on one node.
@Suite struct FailedPodBackoffTests {
    @Test func doublesUpToTheMaximumAndForgetsAfterQuiet() {
        let time = ManualClock()
        let backoff = FailedPodBackoff(initial: .seconds(1), maximum: .seconds(4), clock: time)
        #expect(backoff.remaining("ds/1/node") == nil, "the first failure is handled at once")
        backoff.next("ds/1/node")
        #expect(backoff.remaining("ds/1/node") == .seconds(1))
        #expect(backoff.remaining("ds/1/other") == nil, "nodes back off separately")
        time.advance(by: .seconds(1))
        #expect(backoff.remaining("ds/1/node") == nil)
        backoff.next("ds/1/node")
        time.advance(by: .milliseconds(500))
        #expect(backoff.remaining("ds/1/node") == .milliseconds(1500))
        time.advance(by: .seconds(2))
        backoff.next("ds/1/node")
        backoff.next("ds/1/node")
        #expect(backoff.remaining("ds/1/node") == .seconds(4), "at most the maximum")
        time.advance(by: .seconds(9))
        #expect(backoff.remaining("ds/1/node") == nil)
        backoff.next("ds/1/node")
        #expect(backoff.remaining("ds/1/node") == .seconds(1), "forgotten after twice the maximum")
    }
}
