import Logging
import SkiffAPI
import SkiffClient
import SkiffComponentHelpers
import SkiffModels

/// What the binder's two syncs share: the listers, the clients, the event recorder, and the
/// writes that bind a claim and a volume (upstream's `bind`: the volume's `claimRef`, its
/// `Bound` phase, the claim's `volumeName` and annotations, its `Bound` status, in that order,
/// each a guarded update so that a stale cache ends in a conflict and a retry).
struct VolumeBinding: Sendable {
    let claims: TypedLister<CoreV1.PersistentVolumeClaim>
    let volumes: TypedLister<CoreV1.PersistentVolume>
    let classes: TypedLister<StorageV1.StorageClass>
    let pods: TypedLister<CoreV1.Pod>
    let claimClient: ResourceClient<CoreV1.PersistentVolumeClaim>
    let volumeClient: ResourceClient<CoreV1.PersistentVolume>
    let events: EventRecorder

    /// Whether the claim's class delays binding until a pod uses it (`WaitForFirstConsumer`);
    /// no class or a missing class binds at once.
    func delaysBinding(_ claim: CoreV1.PersistentVolumeClaim) -> Bool {
        let name = claim.storageClass
        guard !name.isEmpty, let storageClass = classes.get(name) else { return false }
        return storageClass.volumeBindingMode == "WaitForFirstConsumer"
    }

    /// Gives a claim that asks for no particular class (no `storageClassName`, not even `""`,
    /// and no beta annotation) the default class, when there is one (upstream's retroactive
    /// default StorageClass assignment). Whether the claim was updated.
    func assignDefaultClass(to claim: CoreV1.PersistentVolumeClaim, logger: Logger) async throws -> Bool {
        guard claim.spec?.storageClassName == nil, claim.metadata?.annotations?[StorageAnnotations.betaStorageClass] == nil,
              let storageClass = classes.list().defaultClass
        else { return false }
        var updated = claim
        updated.spec = updated.spec ?? CoreV1.PersistentVolumeClaimSpec()
        updated.spec?.storageClassName = storageClass.name
        _ = try await claimClient.update(updated)
        logger.debug("assigned the default class", metadata: ["claim": "\(claim.cacheKey)", "class": "\(storageClass.name)"])
        return true
    }

    /// Binds `volume` and `claim` to each other and marks both `Bound`.
    func bind(_ volume: CoreV1.PersistentVolume, _ claim: CoreV1.PersistentVolumeClaim, logger: Logger) async throws {
        var volume = try await bindVolume(volume, to: claim)
        volume = try await setPhase(of: volume, to: "Bound")
        let bound = try await bindClaim(claim, to: volume)
        _ = try await setStatus(of: bound, phase: "Bound", volume: volume)
        logger.debug("bound", metadata: ["claim": "\(claim.cacheKey)", "volume": "\(volume.name)"])
    }

    /// Sets the volume's `claimRef` to the claim (and `bound-by-controller` when it was not
    /// already the claim's), unless it already names it with its UID.
    private func bindVolume(_ volume: CoreV1.PersistentVolume, to claim: CoreV1.PersistentVolumeClaim) async throws -> CoreV1.PersistentVolume {
        var updated = volume
        let reference = volume.spec?.claimRef
        if reference?.name != claim.name || reference?.namespace != claim.namespace || reference?.uid != claim.metadata?.uid {
            updated.spec = updated.spec ?? CoreV1.PersistentVolumeSpec()
            updated.spec?.claimRef = CoreV1.ObjectReference(
                apiVersion: "v1", kind: "PersistentVolumeClaim", name: claim.name, namespace: claim.namespace,
                resourceVersion: claim.metadata?.resourceVersion, uid: claim.metadata?.uid)
        }
        if !volume.isBound(to: claim), updated.metadata?.annotations?[StorageAnnotations.boundByController] == nil {
            updated.setAnnotation(StorageAnnotations.boundByController, "yes")
        }
        guard updated != volume else { return volume }
        return try await volumeClient.update(updated)
    }

    /// Sets the claim's `volumeName` (with `bound-by-controller` when the binder chose the
    /// volume) and `bind-completed`.
    private func bindClaim(_ claim: CoreV1.PersistentVolumeClaim, to volume: CoreV1.PersistentVolume) async throws -> CoreV1.PersistentVolumeClaim {
        var updated = claim
        if claim.spec?.volumeName != volume.name {
            updated.spec = updated.spec ?? CoreV1.PersistentVolumeClaimSpec()
            updated.spec?.volumeName = volume.name
            if updated.metadata?.annotations?[StorageAnnotations.boundByController] == nil {
                updated.setAnnotation(StorageAnnotations.boundByController, "yes")
            }
        }
        if !updated.isBindCompleted { updated.setAnnotation(StorageAnnotations.bindCompleted, "yes") }
        guard updated != claim else { return claim }
        return try await claimClient.namespace(claim.namespace).update(updated)
    }

    /// Writes the claim's phase; a `Bound` claim also gets the volume's access modes and, when
    /// it becomes bound, its capacity; other phases clear both (upstream's `updateClaimStatus`).
    func setStatus(of claim: CoreV1.PersistentVolumeClaim, phase: String, volume: CoreV1.PersistentVolume? = nil) async throws -> CoreV1.PersistentVolumeClaim {
        var status = claim.status ?? CoreV1.PersistentVolumeClaimStatus()
        if let volume {
            status.accessModes = volume.spec?.accessModes
            if status.phase != phase { status.capacity = volume.spec?.capacity }
        } else {
            status.accessModes = nil
            status.capacity = nil
        }
        status.phase = phase
        guard status != claim.status else { return claim }
        var updated = claim
        updated.status = status
        return try await claimClient.namespace(claim.namespace).updateStatus(updated)
    }

    /// Moves the claim to `phase` with an event, only when its phase changes.
    func setStatus(of claim: CoreV1.PersistentVolumeClaim, phase: String, type: EventType, reason: String, message: String) async throws {
        guard claim.status?.phase != phase else { return }
        let updated = try await setStatus(of: claim, phase: phase)
        await events.record(ObjectReference(updated), type: type, reason: reason, message: message)
    }

    /// Writes the volume's phase (and message) when it changes.
    @discardableResult
    func setPhase(of volume: CoreV1.PersistentVolume, to phase: String, message: String? = nil) async throws -> CoreV1.PersistentVolume {
        guard volume.status?.phase != phase else { return volume }
        var updated = volume
        updated.status = CoreV1.PersistentVolumeStatus(
            lastPhaseTransitionTime: volume.status?.lastPhaseTransitionTime, message: message, phase: phase, reason: volume.status?.reason)
        return try await volumeClient.updateStatus(updated)
    }

    /// Moves the volume to `phase` with an event, only when its phase changes.
    func setPhase(of volume: CoreV1.PersistentVolume, to phase: String, type: EventType, reason: String, message: String) async throws {
        guard volume.status?.phase != phase else { return }
        let updated = try await setPhase(of: volume, to: phase, message: message)
        await events.record(ObjectReference(updated), type: type, reason: reason, message: message)
    }

    /// The names of the active pods using `claim` that no node runs yet.
    func unscheduledPods(using claim: CoreV1.PersistentVolumeClaim) -> [String] {
        pods.namespace(claim.namespace).list().filter { pod in
            (pod.spec?.nodeName ?? "").isEmpty && !pod.isFinished && pod.usesClaim(named: claim.name)
        }.map(\.name).sorted()
    }
}

extension CoreV1.Pod {
    /// Whether a `persistentVolumeClaim` or `ephemeral` volume of the pod uses the claim.
    func usesClaim(named name: String) -> Bool {
        claimNames.contains(name)
    }
}

extension KubernetesObject {
    /// Sets one annotation.
    mutating func setAnnotation(_ key: String, _ value: String) {
        var metadata = self.metadata ?? ObjectMeta()
        var annotations = metadata.annotations ?? [:]
        annotations[key] = value
        metadata.annotations = annotations
        self.metadata = metadata
    }
}
