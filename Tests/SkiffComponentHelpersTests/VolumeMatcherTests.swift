import SkiffAPI
import SkiffComponentHelpers
import SkiffModels
import Testing

/// Upstream's claim-to-volume matching: class, access modes, capacity, selector, volume mode,
/// pre-binding, node affinity, and the smallest fitting volume.
struct VolumeMatcherTests {
    static func volume(
        _ name: String, size: String, modes: [String] = ["ReadWriteOnce"], storageClass: String? = nil, labels: [String: String]? = nil,
        phase: String = "Available", claimRef: CoreV1.ObjectReference? = nil, node: String? = nil
    ) -> CoreV1.PersistentVolume {
        let affinity = node.map { node in
            CoreV1.VolumeNodeAffinity(required: CoreV1.NodeSelector(nodeSelectorTerms: [
                CoreV1.NodeSelectorTerm(matchExpressions: [CoreV1.NodeSelectorRequirement(key: "kubernetes.io/hostname", operator: "In", values: [node])])
            ]))
        }
        return CoreV1.PersistentVolume(
            metadata: ObjectMeta(name: name, labels: labels),
            spec: CoreV1.PersistentVolumeSpec(
                accessModes: modes, capacity: ["storage": Quantity(size)], claimRef: claimRef, hostPath: CoreV1.HostPathVolumeSource(path: "/tmp/\(name)"),
                nodeAffinity: affinity, storageClassName: storageClass),
            status: CoreV1.PersistentVolumeStatus(phase: phase))
    }

    static func claim(size: String, modes: [String] = ["ReadWriteOnce"], storageClass: String? = nil, selector: [String: String]? = nil) -> CoreV1.PersistentVolumeClaim {
        CoreV1.PersistentVolumeClaim(
            metadata: ObjectMeta(name: "data", namespace: "default", uid: "claim-uid"),
            spec: CoreV1.PersistentVolumeClaimSpec(
                accessModes: modes, resources: CoreV1.VolumeResourceRequirements(requests: ["storage": Quantity(size)]),
                selector: selector.map { MetaV1.LabelSelector(matchLabels: $0) }, storageClassName: storageClass))
    }

    let binder = VolumeMatcher(delayBinding: false)

    @Test func smallestFittingVolumeWins() {
        let volumes = [Self.volume("big", size: "10Gi"), Self.volume("small", size: "1Gi"), Self.volume("fits", size: "2Gi"), Self.volume("tiny", size: "500Mi")]
        #expect(binder.bestMatch(for: Self.claim(size: "1500Mi"), among: volumes)?.name == "fits")
        #expect(binder.bestMatch(for: Self.claim(size: "20Gi"), among: volumes) == nil)
    }

    @Test func classModesSelectorAndPhaseMustMatch() {
        let volumes = [
            Self.volume("fast", size: "1Gi", storageClass: "fast"),
            Self.volume("many", size: "1Gi", modes: ["ReadWriteOnce", "ReadOnlyMany"]),
            Self.volume("labelled", size: "5Gi", labels: ["tier": "db"]),
            Self.volume("pending", size: "1Gi", phase: "Pending"),
        ]
        #expect(binder.bestMatch(for: Self.claim(size: "1Gi", storageClass: "fast"), among: volumes)?.name == "fast")
        // Fewer access modes first, then size: "many" offers two, "labelled" one.
        #expect(binder.bestMatch(for: Self.claim(size: "1Gi"), among: volumes)?.name == "labelled")
        #expect(binder.bestMatch(for: Self.claim(size: "1Gi", modes: ["ReadOnlyMany"]), among: volumes)?.name == "many")
        #expect(binder.bestMatch(for: Self.claim(size: "1Gi", selector: ["tier": "web"]), among: volumes) == nil)
        #expect(binder.bestMatch(for: Self.claim(size: "1Gi", modes: ["ReadWriteMany"]), among: volumes) == nil)
    }

    @Test func aVolumePreBoundToTheClaimWinsAndOthersReservedElsewhereAreSkipped() {
        let mine = CoreV1.ObjectReference(name: "data", namespace: "default")
        let theirs = CoreV1.ObjectReference(name: "other", namespace: "default")
        let volumes = [Self.volume("free", size: "1Gi"), Self.volume("reserved", size: "1Gi", claimRef: theirs), Self.volume("mine", size: "9Gi", claimRef: mine)]
        #expect(binder.bestMatch(for: Self.claim(size: "1Gi"), among: volumes)?.name == "mine")
        #expect(binder.bestMatch(for: Self.claim(size: "1Gi"), among: Array(volumes.prefix(2)))?.name == "free")
    }

    @Test func delayedBindingLeavesUnboundVolumesToTheScheduler() {
        let volumes = [Self.volume("local-a", size: "1Gi", node: "a"), Self.volume("local-b", size: "2Gi", node: "b")]
        #expect(VolumeMatcher(delayBinding: true).bestMatch(for: Self.claim(size: "1Gi"), among: volumes) == nil)
        let onB = VolumeMatcher(delayBinding: true, node: VolumeMatcher.Node(name: "b", labels: ["kubernetes.io/hostname": "b"]))
        #expect(onB.bestMatch(for: Self.claim(size: "1Gi"), among: volumes)?.name == "local-b")
        let onC = VolumeMatcher(delayBinding: true, node: VolumeMatcher.Node(name: "c", labels: ["kubernetes.io/hostname": "c"]))
        #expect(onC.bestMatch(for: Self.claim(size: "1Gi"), among: volumes) == nil)
    }
}
