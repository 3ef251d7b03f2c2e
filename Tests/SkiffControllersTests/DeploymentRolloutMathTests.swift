import SkiffAPI
import SkiffModels
import Testing

@testable import SkiffControllers

/// The pure parts of the deployment controller: surge and unavailability bounds, the pod
/// template hash, proportional scaling, the new set's next size, revision annotations.
struct DeploymentRolloutMathTests {
    static func deployment(
        replicas: Int32, maxSurge: IntOrString = "25%", maxUnavailable: IntOrString = "25%", recreate: Bool = false
    ) -> AppsV1.Deployment {
        let strategy = recreate
            ? AppsV1.DeploymentStrategy(type: "Recreate")
            : AppsV1.DeploymentStrategy(rollingUpdate: .init(maxSurge: maxSurge, maxUnavailable: maxUnavailable), type: "RollingUpdate")
        return AppsV1.Deployment(
            metadata: ObjectMeta(name: "web"),
            spec: AppsV1.DeploymentSpec(replicas: replicas, selector: MetaV1.LabelSelector(), strategy: strategy, template: CoreV1.PodTemplateSpec()))
    }

    static func replicaSet(_ name: String, replicas: Int32, maxReplicas: Int? = nil, created: Int64 = 0) -> AppsV1.ReplicaSet {
        AppsV1.ReplicaSet(
            metadata: ObjectMeta(
                name: name, uid: name, creationTimestamp: Timestamp(seconds: 1_700_000_000 + created),
                annotations: maxReplicas.map { [DeploymentAnnotation.maxReplicas: String($0)] }),
            spec: AppsV1.ReplicaSetSpec(replicas: replicas, selector: MetaV1.LabelSelector()))
    }

    /// The template `metadata.labels.app=web`, one `nginx` container.
    static let template = CoreV1.PodTemplateSpec(
        metadata: ObjectMeta(labels: ["app": "web"]), spec: CoreV1.PodSpec(containers: [CoreV1.Container(image: "nginx", name: "web")]))

    @Test func surgeRoundsUpAndUnavailableRoundsDown() throws {
        let bounds = try RolloutBounds(maxSurge: "25%", maxUnavailable: "25%", desired: 10)
        #expect(bounds == RolloutBounds(deployment: Self.deployment(replicas: 10)))
        #expect(bounds.maxSurge == 3 && bounds.maxUnavailable == 2)
        #expect(try RolloutBounds(maxSurge: 2, maxUnavailable: "50%", desired: 3) == RolloutBounds(deployment: Self.deployment(replicas: 3, maxSurge: 2, maxUnavailable: "50%")))
        #expect(RolloutBounds(deployment: Self.deployment(replicas: 3, maxSurge: 2, maxUnavailable: "50%")).maxUnavailable == 1)
    }

    @Test func bothBoundsZeroAllowOneUnavailable() throws {
        // 10% of 3 rounds down to 0 unavailable; no surge: one pod may still go.
        let bounds = RolloutBounds(deployment: Self.deployment(replicas: 3, maxSurge: 0, maxUnavailable: "10%"))
        #expect(bounds.maxSurge == 0 && bounds.maxUnavailable == 1)
        // Unavailability never exceeds the replicas, and is zero without replicas.
        #expect(RolloutBounds(deployment: Self.deployment(replicas: 2, maxSurge: 0, maxUnavailable: 5)).maxUnavailable == 2)
        #expect(RolloutBounds(deployment: Self.deployment(replicas: 0)).maxUnavailable == 0)
        // Recreate has no bounds.
        #expect(RolloutBounds(deployment: Self.deployment(replicas: 4, recreate: true)) == RolloutBounds(deployment: Self.deployment(replicas: 0, maxSurge: 0, maxUnavailable: 0)))
        #expect(throws: RolloutBounds.InvalidValue.self) { try RolloutBounds(maxSurge: "x%", maxUnavailable: nil, desired: 3) }
    }

    @Test func podTemplateHashIsStableAndSaltedByCollisions() {
        let template = Self.template
        // FNV-32a of the canonical JSON is 1332816615; its digits in the safe alphabet.
        #expect(PodTemplateHash.compute(template, collisionCount: nil) == "5776d5bb59")
        #expect(PodTemplateHash.compute(template, collisionCount: 1) == "5f9995b98")
        // A zero generation (protobuf writes leave one) is no change.
        var withGeneration = template
        withGeneration.metadata?.generation = 0
        #expect(PodTemplateHash.compute(withGeneration, collisionCount: nil) == "5776d5bb59")
        var labeled = template
        labeled.metadata?.labels?["pod-template-hash"] = "5776d5bb59"
        #expect(PodTemplateHash.equalIgnoringHash(labeled, withGeneration))
        var changed = template
        changed.spec?.containers = [CoreV1.Container(image: "nginx:2", name: "web")]
        #expect(!PodTemplateHash.equalIgnoringHash(labeled, changed))
        #expect(PodTemplateHash.compute(changed, collisionCount: nil) != "5776d5bb59")
    }

    /// A rollout of 10 replicas half way: 4 old, 6 new.
    static let midRollout = [
        replicaSet("old", replicas: 4, maxReplicas: 10, created: 0), replicaSet("new", replicas: 6, maxReplicas: 10, created: 1),
    ]

    /// `name=replicas` of each resize, in order.
    static func sizes(_ plan: ProportionalScaling.Plan) -> [String] {
        plan.resizes.map { "\($0.replicaSet.name)=\($0.replicas)" }
    }

    @Test func scalingUpSpreadsInProportion() {
        let plan = ProportionalScaling.plan(Self.midRollout, desired: 20, maxSurge: 0, currentReplicas: 10)
        #expect(plan.operation == "up")
        #expect(Self.sizes(plan) == ["new=12", "old=8"])
    }

    @Test func leftoversGoToTheNewestOfEqualSetsWhenScalingUp() {
        let sets = (0..<3).map { Self.replicaSet("rs\($0)", replicas: 1, maxReplicas: 3, created: Int64($0)) }
        let plan = ProportionalScaling.plan(sets, desired: 4, maxSurge: 0, currentReplicas: 3)
        #expect(Self.sizes(plan) == ["rs2=2", "rs1=1", "rs0=1"])
    }

    @Test func scalingDownRemovesInProportionAndToZero() {
        let plan = ProportionalScaling.plan(Self.midRollout, desired: 5, maxSurge: 0, currentReplicas: 10)
        #expect(plan.operation == "down")
        #expect(Self.sizes(plan) == ["new=3", "old=2"])
        let zero = ProportionalScaling.plan(Self.midRollout, desired: 0, maxSurge: 3, currentReplicas: 10)
        #expect(zero.resizes.map(\.replicas) == [0, 0])
        // Without the annotation the Deployment's current replicas stand in.
        let unannotated = ProportionalScaling.plan([Self.replicaSet("a", replicas: 2), Self.replicaSet("b", replicas: 2, created: 1)],
                                                   desired: 8, maxSurge: 0, currentReplicas: 4)
        #expect(unannotated.resizes.map(\.replicas) == [4, 4])
    }

    @Test func newReplicaSetGrowsWithinTheSurge() {
        let deployment = Self.deployment(replicas: 4, maxSurge: 1, maxUnavailable: 0)
        let old = Self.replicaSet("old", replicas: 4)
        var new = Self.replicaSet("new", replicas: 0)
        #expect(DeploymentSync.newReplicaSetReplicas(deployment, all: [old, new], new: new) == 1)
        new.specReplicas = 1
        #expect(DeploymentSync.newReplicaSetReplicas(deployment, all: [old, new], new: new) == 1)
        let shrunk = Self.replicaSet("old", replicas: 1)
        #expect(DeploymentSync.newReplicaSetReplicas(deployment, all: [shrunk, new], new: new) == 4)
        #expect(DeploymentSync.newReplicaSetReplicas(Self.deployment(replicas: 4, recreate: true), all: [old, new], new: new) == 4)
    }

    @Test func revisionAnnotationsRememberRollbacks() {
        var deployment = Self.deployment(replicas: 3)
        deployment.metadata?.annotations = [
            "kubernetes.io/change-cause": "set image", DeploymentAnnotation.revision: "9",
            "kubectl.kubernetes.io/last-applied-configuration": "{}",
        ]
        var created = Self.replicaSet("new", replicas: 0)
        #expect(ReplicaSetAnnotations.setForNewReplicaSet(&created, deployment: deployment, revision: 1, exists: false, maxSurge: 1))
        #expect(created.metadata?.annotations == [
            "kubernetes.io/change-cause": "set image", DeploymentAnnotation.revision: "1",
            DeploymentAnnotation.desiredReplicas: "3", DeploymentAnnotation.maxReplicas: "4",
        ])
        #expect(!ReplicaSetAnnotations.setForNewReplicaSet(&created, deployment: deployment, revision: 1, exists: true, maxSurge: 1))
        // Brought back as revision 3: revision 1 goes to the history.
        #expect(ReplicaSetAnnotations.setForNewReplicaSet(&created, deployment: deployment, revision: 3, exists: true, maxSurge: 1))
        #expect(created.metadata?.annotations?[DeploymentAnnotation.revision] == "3")
        #expect(created.metadata?.annotations?[DeploymentAnnotation.revisionHistory] == "1")
        _ = ReplicaSetAnnotations.setForNewReplicaSet(&created, deployment: deployment, revision: 5, exists: true, maxSurge: 1)
        #expect(created.metadata?.annotations?[DeploymentAnnotation.revisionHistory] == "1,3")
        var odd = Self.replicaSet("odd", replicas: 1)
        odd.metadata?.annotations = [DeploymentAnnotation.revision: "x"]
        #expect(!ReplicaSetAnnotations.setForNewReplicaSet(&odd, deployment: deployment, revision: 2, exists: true, maxSurge: 1))
        #expect(odd.metadata?.annotations == [DeploymentAnnotation.revision: "x"])
        let long = Array(repeating: "1234", count: 400).joined(separator: ",")
        let trimmed = ReplicaSetAnnotations.appendingHistory(long, "99999") ?? ""
        #expect(trimmed.count <= ReplicaSetAnnotations.revisionHistoryLimit && trimmed.hasSuffix(",99999") && trimmed.hasPrefix("1234,"))
    }

    @Test func theNewReplicaSetIsTheOldestWithTheTemplate() {
        var deployment = Self.deployment(replicas: 2)
        deployment.spec?.template = Self.template
        var matching = Self.replicaSet("web-b", replicas: 0, created: 5)
        matching.spec?.template = Self.template
        matching.spec?.template?.metadata?.labels?["pod-template-hash"] = "b"
        var twin = matching
        twin.metadata?.name = "web-c"
        twin.metadata?.uid = "web-c"
        twin.metadata?.creationTimestamp = Timestamp(seconds: 1_700_000_009)
        let old = Self.replicaSet("web-a", replicas: 2, created: 1)
        let sets = ReplicaSetSplit([twin, old, matching], deployment: deployment)
        #expect(sets.new?.name == "web-b")
        #expect(Set(sets.old.map(\.name)) == ["web-a", "web-c"])
        // One active set takes the whole count; with none active, the new set does.
        #expect(sets.activeOrLatest?.name == "web-a")
        let idle = ReplicaSetSplit([Self.replicaSet("web-a", replicas: 0, created: 1), matching], deployment: deployment)
        #expect(idle.activeOrLatest?.name == "web-b")
        let orphaned = ReplicaSetSplit([Self.replicaSet("web-a", replicas: 0, created: 1), Self.replicaSet("web-d", replicas: 0, created: 3)],
                                       deployment: deployment)
        #expect(orphaned.new == nil && orphaned.activeOrLatest?.name == "web-d")
        var busy = sets
        busy.new?.specReplicas = 1
        #expect(busy.activeOrLatest == nil)
    }
}
