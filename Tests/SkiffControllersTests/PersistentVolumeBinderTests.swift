import Foundation
import SkiffAPI
import SkiffClient
import SkiffComponentHelpers
import SkiffControllers
import SkiffModels
import SkiffTesting
import Testing

/// The binder's state machine against a real server: claims and volumes through their phases,
/// the annotations it writes, reclaim policies, delayed binding and provisioning, and the
/// protection finalizers.
struct PersistentVolumeBinderTests {
    static func volume(_ name: String, size: String = "1Gi", policy: String = "Retain", storageClass: String? = nil) -> CoreV1.PersistentVolume {
        CoreV1.PersistentVolume(
            metadata: ObjectMeta(name: name),
            spec: CoreV1.PersistentVolumeSpec(
                accessModes: ["ReadWriteOnce"], capacity: ["storage": Quantity(size)], hostPath: CoreV1.HostPathVolumeSource(path: "/tmp/\(name)"),
                persistentVolumeReclaimPolicy: policy, storageClassName: storageClass))
    }

    static func claim(_ name: String, size: String = "1Gi", storageClass: String? = nil, annotations: [String: String]? = nil) -> CoreV1.PersistentVolumeClaim {
        CoreV1.PersistentVolumeClaim(
            metadata: ObjectMeta(name: name, namespace: "default", annotations: annotations),
            spec: CoreV1.PersistentVolumeClaimSpec(
                accessModes: ["ReadWriteOnce"], resources: CoreV1.VolumeResourceRequirements(requests: ["storage": Quantity(size)]),
                storageClassName: storageClass))
    }

    static func claims(_ cluster: InProcessCluster) -> ResourceClient<CoreV1.PersistentVolumeClaim> {
        cluster.client.core.v1.persistentVolumeClaims("default")
    }

    static func volumes(_ cluster: InProcessCluster) -> ResourceClient<CoreV1.PersistentVolume> {
        cluster.client.core.v1.persistentVolumes()
    }

    /// The object, or nil once it is gone.
    static func current<Object>(_ name: String, in objects: ResourceClient<Object>) async throws -> Object? {
        do {
            return try await objects.get(name)
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    @Test func retainedVolumeBindsAndIsReleasedWithItsClaim() async throws {
        try await InProcessCluster.withControllers(controllers: [.persistentVolumeBinder]) { cluster in
            _ = try await Self.volumes(cluster).create(Self.volume("big", size: "5Gi"))
            _ = try await Self.volumes(cluster).create(Self.volume("small", size: "1Gi"))
            // Only Available volumes are matched (as upstream): wait for the binder to get there.
            try await waitUntil("both volumes available") {
                try await Self.volumes(cluster).list().items.allSatisfy { $0.status?.phase == "Available" }
            }
            let created = try await Self.claims(cluster).create(Self.claim("data", size: "1Gi"))
            try await waitUntil("the claim bound") { try await Self.claims(cluster).get("data").status?.phase == "Bound" }
            let claim = try await Self.claims(cluster).get("data")
            #expect(claim.spec?.volumeName == "small")
            #expect(claim.metadata?.annotations?[StorageAnnotations.bindCompleted] == "yes")
            #expect(claim.metadata?.annotations?[StorageAnnotations.boundByController] == "yes")
            #expect(claim.status?.capacity?["storage"] == "1Gi" && claim.status?.accessModes == ["ReadWriteOnce"])
            try await waitUntil("the volume bound") { try await Self.volumes(cluster).get("small").status?.phase == "Bound" }
            let volume = try await Self.volumes(cluster).get("small")
            #expect(volume.spec?.claimRef?.uid == created.metadata?.uid)
            #expect(volume.metadata?.annotations?[StorageAnnotations.boundByController] == "yes")
            #expect(try await Self.volumes(cluster).get("big").status?.phase == "Available")

            try await Self.claims(cluster).delete("data")
            try await waitUntil("the volume released") { try await Self.volumes(cluster).get("small").status?.phase == "Released" }
        }
    }

    @Test func deletePolicyDeletesAReleasedVolume() async throws {
        try await InProcessCluster.withControllers(controllers: [.persistentVolumeBinder]) { cluster in
            _ = try await Self.volumes(cluster).create(Self.volume("scratch", policy: "Delete"))
            _ = try await Self.claims(cluster).create(Self.claim("data"))
            try await waitUntil("the claim bound") { try await Self.claims(cluster).get("data").status?.phase == "Bound" }
            try await Self.claims(cluster).delete("data")
            try await waitUntil("the volume deleted") { try await Self.current("scratch", in: Self.volumes(cluster)) == nil }
        }
    }

    @Test func claimWithoutVolumeOrClassStaysPendingAndBoundClaimLosesItsVolume() async throws {
        try await InProcessCluster.withControllers(controllers: [.persistentVolumeBinder]) { cluster in
            _ = try await Self.claims(cluster).create(Self.claim("lonely", size: "100Gi"))
            try await waitUntil("a FailedBinding event") { try await cluster.eventReasons(about: "lonely").contains("FailedBinding") }
            #expect(try await Self.claims(cluster).get("lonely").status?.phase == "Pending")

            _ = try await Self.volumes(cluster).create(Self.volume("gone"))
            _ = try await Self.claims(cluster).create(Self.claim("data"))
            try await waitUntil("the claim bound") { try await Self.claims(cluster).get("data").status?.phase == "Bound" }
            try await Self.volumes(cluster).delete("gone")
            try await waitUntil("the claim lost") { try await Self.claims(cluster).get("data").status?.phase == "Lost" }
            #expect(try await cluster.eventReasons(about: "data").contains("ClaimLost"))
        }
    }

    @Test func aClaimMadeBeforeAnyDefaultClassGetsTheDefaultOnceThereIsOne() async throws {
        try await InProcessCluster.withControllers(controllers: [.persistentVolumeBinder]) { cluster in
            _ = try await Self.claims(cluster).create(Self.claim("early"))
            _ = try await Self.claims(cluster).create(Self.claim("classless", storageClass: ""))
            try await waitUntil("a FailedBinding event") { try await cluster.eventReasons(about: "early").contains("FailedBinding") }
            let classes = cluster.client.storage.v1.storageClasses()
            _ = try await classes.create(StorageV1.StorageClass(metadata: ObjectMeta(name: "plain"), provisioner: "example.com/disks"))
            _ = try await classes.create(StorageV1.StorageClass(
                metadata: ObjectMeta(name: "standard", annotations: ["storageclass.kubernetes.io/is-default-class": "true"]),
                provisioner: "example.com/disks", volumeBindingMode: "WaitForFirstConsumer"))
            try await waitUntil("the default class assigned") { try await Self.claims(cluster).get("early").spec?.storageClassName == "standard" }
            try await waitUntil("a WaitForFirstConsumer event") { try await cluster.eventReasons(about: "early").contains("WaitForFirstConsumer") }
            // `""` asks for no class: it stays without one.
            #expect(try await Self.claims(cluster).get("classless").spec?.storageClassName == "")
        }
    }

    @Test func delayedClaimWaitsForItsNodeThenAsksItsProvisioner() async throws {
        try await InProcessCluster.withControllers(controllers: [.persistentVolumeBinder]) { cluster in
            _ = try await cluster.client.storage.v1.storageClasses().create(
                StorageV1.StorageClass(metadata: ObjectMeta(name: "later"), provisioner: "example.com/disks", volumeBindingMode: "WaitForFirstConsumer"))
            _ = try await Self.claims(cluster).create(Self.claim("data", storageClass: "later"))
            try await waitUntil("a WaitForFirstConsumer event") { try await cluster.eventReasons(about: "data").contains("WaitForFirstConsumer") }

            var claim = try await Self.claims(cluster).get("data")
            claim.metadata?.annotations = [StorageAnnotations.selectedNode: "node-a"]
            _ = try await Self.claims(cluster).update(claim)
            try await waitUntil("the provisioner asked") {
                try await Self.claims(cluster).get("data").metadata?.annotations?[StorageAnnotations.storageProvisioner] == "example.com/disks"
            }
            #expect(try await cluster.eventReasons(about: "data").contains("ExternalProvisioning"))

            // What a provisioner writes: a volume pre-bound to the claim.
            claim = try await Self.claims(cluster).get("data")
            var volume = Self.volume("pvc-made", policy: "Delete", storageClass: "later")
            volume.metadata?.annotations = [StorageAnnotations.provisionedBy: "example.com/disks"]
            volume.spec?.claimRef = CoreV1.ObjectReference(kind: "PersistentVolumeClaim", name: "data", namespace: "default", uid: claim.metadata?.uid)
            _ = try await Self.volumes(cluster).create(volume)
            try await waitUntil("the claim bound") { try await Self.claims(cluster).get("data").status?.phase == "Bound" }
            // The provisioner, not the binder, deletes what it made.
            try await Self.claims(cluster).delete("data")
            try await waitUntil("the volume released") { try await Self.volumes(cluster).get("pvc-made").status?.phase == "Released" }
        }
    }

    @Test func protectionFinalizersHoldAClaimInUseAndABoundVolume() async throws {
        try await InProcessCluster.withControllers(controllers: [.persistentVolumeBinder, .persistentVolumeClaimProtection, .persistentVolumeProtection]) { cluster in
            _ = try await Self.volumes(cluster).create(Self.volume("disk"))
            _ = try await Self.claims(cluster).create(Self.claim("data"))
            try await waitUntil("the claim protected and bound") {
                let claim = try await Self.claims(cluster).get("data")
                return claim.status?.phase == "Bound" && claim.metadata?.finalizers == [StorageAnnotations.claimProtectionFinalizer]
            }
            try await waitUntil("the volume protected") {
                try await Self.volumes(cluster).get("disk").metadata?.finalizers == [StorageAnnotations.volumeProtectionFinalizer]
            }
            let pod: JSONValue = [
                "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "user", "namespace": "default"],
                "spec": [
                    "nodeName": "node-a", "containers": [["name": "app", "image": "busybox"]],
                    "volumes": [["name": "data", "persistentVolumeClaim": ["claimName": "data"]]],
                ],
            ]
            _ = try await cluster.pods().create(pod)
            try await Self.claims(cluster).delete("data")
            try await Self.volumes(cluster).delete("disk")
            try await waitUntil("the claim terminating") { try await Self.claims(cluster).get("data").metadata?.deletionTimestamp != nil }
            // The pod still uses the claim, which keeps its volume bound.
            #expect(try await Self.claims(cluster).get("data").metadata?.finalizers == [StorageAnnotations.claimProtectionFinalizer])
            #expect(try await Self.volumes(cluster).get("disk").metadata?.finalizers == [StorageAnnotations.volumeProtectionFinalizer])

            try await cluster.pods().delete("user", options: DeleteOptions(gracePeriodSeconds: 0))
            try await waitUntil("the claim gone") { try await Self.current("data", in: Self.claims(cluster)) == nil }
            try await waitUntil("the volume gone once released") { try await Self.current("disk", in: Self.volumes(cluster)) == nil }
        }
    }

    @Test func localPathProvisionerMakesAndRemovesADirectory() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-local-path-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await InProcessCluster.withControllers(
            controllers: [.persistentVolumeBinder, .localPathProvisioner], configure: { $0.localPath = .init(directory: directory) }
        ) { cluster in
            try await waitUntil("the default class") {
                try await Self.current("local-path", in: cluster.client.storage.v1.storageClasses())?.volumeBindingMode == "WaitForFirstConsumer"
            }
            let created = try await Self.claims(cluster).create(
                Self.claim("data", storageClass: "local-path", annotations: [StorageAnnotations.selectedNode: "node-a"]))
            let name = "pvc-\(created.metadata?.uid ?? "")"
            try await waitUntil("the claim bound") { try await Self.claims(cluster).get("data").status?.phase == "Bound" }
            let volume = try await Self.volumes(cluster).get(name)
            let path = "\(directory)/\(name)_default_data"
            #expect(volume.spec?.hostPath?.path == path)
            #expect(volume.metadata?.annotations?[StorageAnnotations.provisionedBy] == "rancher.io/local-path")
            #expect(volume.spec?.nodeAffinity?.required?.nodeSelectorTerms.first?.matchExpressions?.first?.values == ["node-a"])
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(try await cluster.eventReasons(about: "data").contains("ProvisioningSucceeded"))

            try await Self.claims(cluster).delete("data")
            try await waitUntil("the volume deleted") { try await Self.current(name, in: Self.volumes(cluster)) == nil }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }
}
