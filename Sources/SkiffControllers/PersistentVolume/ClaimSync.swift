import Logging
import SkiffAPI
import SkiffClient
import SkiffComponentHelpers
import SkiffModels

/// The binder's claim sync (upstream's `syncClaim`, split as its `syncUnboundClaim` and
/// `syncBoundClaim`).
struct ClaimSync: Reconciler {
    let binding: VolumeBinding

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        guard let claim = binding.claims.get(key: key) else { return .done }
        if claim.isBindCompleted {
            try await syncBound(claim, logger: logger)
        } else {
            try await syncUnbound(claim, logger: logger)
        }
        return .done
    }

    private func syncUnbound(_ claim: CoreV1.PersistentVolumeClaim, logger: Logger) async throws {
        let volumeName = claim.spec?.volumeName ?? ""
        guard !volumeName.isEmpty else {
            let delay = binding.delaysBinding(claim)
            if let volume = VolumeMatcher(delayBinding: delay).bestMatch(for: claim, among: binding.volumes.list()) {
                try await binding.bind(volume, claim, logger: logger)
                return
            }
            // A claim made before any class was default gets the default now; its update
            // brings the claim back with the class.
            if try await binding.assignDefaultClass(to: claim, logger: logger) { return }
            if delay && claim.metadata?.annotations?[StorageAnnotations.selectedNode] == nil {
                await waitForConsumer(claim)
            } else if !claim.storageClass.isEmpty {
                try await requestProvisioning(claim)
                return
            } else {
                await binding.events.record(
                    ObjectReference(claim), reason: "FailedBinding", message: "no persistent volumes available for this claim and no storage class is set")
            }
            _ = try await binding.setStatus(of: claim, phase: "Pending")
            return
        }
        // The user asked for one volume.
        guard let volume = binding.volumes.get(volumeName) else {
            _ = try await binding.setStatus(of: claim, phase: "Pending")
            return
        }
        if volume.spec?.claimRef == nil {
            if let mismatch = Self.mismatch(of: volume, for: claim) {
                await binding.events.record(
                    ObjectReference(claim), type: .warning, reason: "VolumeMismatch", message: "Cannot bind to requested volume \"\(volume.name)\": \(mismatch)")
                _ = try await binding.setStatus(of: claim, phase: "Pending")
            } else {
                try await binding.bind(volume, claim, logger: logger)
            }
        } else if volume.isBound(to: claim) {
            try await binding.bind(volume, claim, logger: logger)
        } else {
            await binding.events.record(
                ObjectReference(claim), type: .warning, reason: "FailedBinding", message: "volume \"\(volume.name)\" already bound to a different claim.")
            if claim.metadata?.annotations?[StorageAnnotations.boundByController] == nil {
                _ = try await binding.setStatus(of: claim, phase: "Pending")
            }
        }
    }

    private func syncBound(_ claim: CoreV1.PersistentVolumeClaim, logger: Logger) async throws {
        let volumeName = claim.spec?.volumeName ?? ""
        guard !volumeName.isEmpty else {
            try await binding.setStatus(
                of: claim, phase: "Lost", type: .warning, reason: "ClaimLost", message: "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!")
            return
        }
        guard let volume = binding.volumes.get(volumeName) else {
            try await binding.setStatus(
                of: claim, phase: "Lost", type: .warning, reason: "ClaimLost", message: "Bound claim has lost its PersistentVolume. Data on the volume is lost!")
            return
        }
        if volume.spec?.claimRef == nil || volume.spec?.claimRef?.uid == claim.metadata?.uid {
            try await binding.bind(volume, claim, logger: logger)
        } else {
            try await binding.setStatus(
                of: claim, phase: "Lost", type: .warning, reason: "ClaimMisbound", message: "Two claims are bound to the same volume, this one is bound incorrectly")
        }
    }

    /// `WaitForFirstConsumer` until a pod uses the claim, then `WaitForPodScheduled` naming the
    /// pods the scheduler has yet to place.
    private func waitForConsumer(_ claim: CoreV1.PersistentVolumeClaim) async {
        let pods = binding.unscheduledPods(using: claim)
        let (reason, message) = switch pods.count {
        case 0: ("WaitForFirstConsumer", "waiting for first consumer to be created before binding")
        case 1: ("WaitForPodScheduled", "waiting for pod \(pods[0]) to be scheduled")
        default: ("WaitForPodScheduled", "waiting for pods \(pods.joined(separator: ",")) to be scheduled")
        }
        await binding.events.record(ObjectReference(claim), reason: reason, message: message)
    }

    /// Asks the class's provisioner for a volume (every provisioner is external to the binder):
    /// the `storage-provisioner` annotations and an `ExternalProvisioning` event. The provisioner
    /// creates a volume pre-bound to the claim, whose change brings the claim back here to bind.
    private func requestProvisioning(_ claim: CoreV1.PersistentVolumeClaim) async throws {
        guard let storageClass = binding.classes.get(claim.storageClass) else {
            await binding.events.record(
                ObjectReference(claim), type: .warning, reason: "ProvisioningFailed",
                message: "storageclass.storage.k8s.io \"\(claim.storageClass)\" not found")
            _ = try await binding.setStatus(of: claim, phase: "Pending")
            return
        }
        let provisioner = storageClass.provisioner
        var updated = claim
        updated.setAnnotation(StorageAnnotations.storageProvisioner, provisioner)
        updated.setAnnotation(StorageAnnotations.betaStorageProvisioner, provisioner)
        if updated != claim { updated = try await binding.claimClient.namespace(claim.namespace).update(updated) }
        await binding.events.record(
            ObjectReference(updated), reason: "ExternalProvisioning",
            message: "Waiting for a volume to be created either by the external provisioner '\(provisioner)' or manually by the system administrator. "
                + "If volume creation is delayed, please verify that the provisioner is running and correctly registered.")
        _ = try await binding.setStatus(of: updated, phase: "Pending")
    }

    /// Why `volume` cannot hold `claim` (upstream's `checkVolumeSatisfyClaim`), nil when it can.
    static func mismatch(of volume: CoreV1.PersistentVolume, for claim: CoreV1.PersistentVolumeClaim) -> String? {
        if volume.metadata?.deletionTimestamp != nil { return "the volume is marked for deletion \"\(volume.name)\"" }
        if volume.capacity < claim.requestedStorage { return "requested PV is too small" }
        if volume.storageClass != claim.storageClass { return "storageClassName does not match" }
        if volume.hasVolumeModeMismatch(with: claim) { return "incompatible volumeMode" }
        if !volume.offersAccessModes(of: claim) { return "incompatible accessMode" }
        return nil
    }
}
