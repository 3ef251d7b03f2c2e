import Logging
import SkiffAPI
import SkiffClient
import SkiffComponentHelpers
import SkiffModels

/// The binder's volume sync (upstream's `syncVolume`): the phase a volume's `claimRef` gives it,
/// and the reclaim policy once its claim is gone.
struct VolumeSync: Reconciler {
    let binding: VolumeBinding
    /// The claims' queue: a volume pre-bound to a pending claim hurries the claim's sync.
    let claimQueue: DelayingWorkQueue<String>

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        guard let volume = binding.volumes.get(key) else { return .done }
        guard let reference = volume.spec?.claimRef, let uid = reference.uid, !uid.isEmpty else {
            // Unused, or reserved for a claim that has not bound yet (the claim's sync binds it).
            try await binding.setPhase(of: volume, to: "Available")
            return .done
        }
        guard let claim = try await currentClaim(of: reference) else {
            var released = volume
            if !["Released", "Failed"].contains(volume.status?.phase) {
                logger.info("volume released", metadata: ["volume": "\(volume.name)", "policy": "\(volume.reclaimPolicy)"])
                released = try await binding.setPhase(of: volume, to: "Released")
            }
            try await reclaim(released, logger: logger)
            return .done
        }
        let claimedVolume = claim.spec?.volumeName ?? ""
        if claimedVolume.isEmpty {
            if volume.hasVolumeModeMismatch(with: claim) {
                await binding.events.record(
                    ObjectReference(volume), type: .warning, reason: "VolumeMismatch",
                    message: "Cannot bind PersistentVolume to requested PersistentVolumeClaim \"\(claim.name)\" due to incompatible volumeMode.")
                await binding.events.record(
                    ObjectReference(claim), type: .warning, reason: "VolumeMismatch",
                    message: "Cannot bind PersistentVolume \"\(volume.name)\" to requested PersistentVolumeClaim due to incompatible volumeMode.")
                return .done
            }
            claimQueue.add(claim.cacheKey)
        } else if claimedVolume == volume.name {
            try await binding.setPhase(of: volume, to: "Bound")
        } else if volume.metadata?.annotations?[StorageAnnotations.provisionedBy] != nil, volume.reclaimPolicy == "Delete" {
            // Provisioned for a claim that bound elsewhere: not needed.
            let released = try await binding.setPhase(of: volume, to: "Released")
            try await reclaim(released, logger: logger)
        } else {
            try await unbind(volume)
        }
        return .done
    }

    /// The claim `reference` names, if it still exists with the referenced UID; the cache is
    /// checked against the server before a volume is declared released.
    private func currentClaim(of reference: CoreV1.ObjectReference) async throws -> CoreV1.PersistentVolumeClaim? {
        let namespace = reference.namespace ?? ""
        let name = reference.name ?? ""
        if let cached = binding.claims.namespace(namespace).get(name), cached.metadata?.uid == reference.uid { return cached }
        do {
            let live = try await binding.claimClient.namespace(namespace).get(name)
            return live.metadata?.uid == reference.uid ? live : nil
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    /// Applies the reclaim policy of a released volume: `Retain` keeps it; `Delete` deletes it,
    /// unless a provisioner made it (the provisioner deletes it and its storage); anything else
    /// (`Recycle` has no recycler here) fails it.
    private func reclaim(_ volume: CoreV1.PersistentVolume, logger: Logger) async throws {
        switch volume.reclaimPolicy {
        case "Retain":
            return
        case "Delete":
            guard volume.metadata?.annotations?[StorageAnnotations.provisionedBy] == nil, volume.metadata?.deletionTimestamp == nil else { return }
            do {
                try await binding.volumeClient.delete(volume.name, options: DeleteOptions(preconditions: .init(uid: volume.metadata?.uid)))
                logger.info("deleted released volume", metadata: ["volume": "\(volume.name)"])
            } catch let error as APIError where error.isNotFound {
                return
            }
        case "Recycle":
            try await binding.setPhase(of: volume, to: "Failed", type: .warning, reason: "VolumeFailedRecycle", message: "No recycler plugin found for the volume!")
        default:
            try await binding.setPhase(
                of: volume, to: "Failed", type: .warning, reason: "VolumeUnknownReclaimPolicy", message: "Volume has unrecognized PersistentVolumeReclaimPolicy")
        }
    }

    /// Undoes a binding the claim did not take (upstream's `unbindVolume`): the binder's own
    /// `claimRef` goes, a user's pre-binding keeps its name but loses the UID.
    private func unbind(_ volume: CoreV1.PersistentVolume) async throws {
        var updated = volume
        if volume.metadata?.annotations?[StorageAnnotations.boundByController] != nil {
            updated.spec?.claimRef = nil
            updated.metadata?.annotations?[StorageAnnotations.boundByController] = nil
        } else {
            updated.spec?.claimRef?.uid = nil
        }
        let saved = try await binding.volumeClient.update(updated)
        try await binding.setPhase(of: saved, to: "Available")
    }
}

extension CoreV1.PersistentVolume {
    /// `spec.persistentVolumeReclaimPolicy` (`Retain` when unset, as the server defaults it).
    var reclaimPolicy: String { spec?.persistentVolumeReclaimPolicy ?? "Retain" }
}
