import SkiffAPI
import SkiffClient
import SkiffComponentHelpers
import SkiffModels

/// The VolumeBinding plugin's PreBind: the pod's unbound `WaitForFirstConsumer` claims get the
/// chosen node. A claim a provisioner serves is annotated `volume.kubernetes.io/selected-node`
/// (the binder hands it to the provisioner, which makes the volume there); a claim of a class
/// without provisioner gets the matching volume reachable from the node (its `claimRef`, as
/// the binder would write it; the binder completes the binding).
///
/// Unlike upstream, the pod is bound at once rather than after its claims are: the kubelet
/// waits for them to be bound before it starts the pod.
extension Scheduler {
    func preBindVolumes(of pod: PodInfo, on nodeName: String) async throws {
        guard let listers = algorithm.volumeListers else { return }
        for name in pod.claimNames {
            guard let claim = listers.claims.namespace(pod.namespace).get(name), (claim.spec?.volumeName ?? "").isEmpty,
                  listers.delaysBinding(claim)
            else { continue }
            if listers.storageClass(of: claim)?.provisioner == VolumeBinding.noProvisioner {
                try await bindVolume(for: claim, on: nodeName, listers: listers)
            } else if claim.metadata?.annotations?[StorageAnnotations.selectedNode] != nodeName {
                var updated = claim
                var metadata = updated.metadata ?? ObjectMeta()
                metadata.annotations = (metadata.annotations ?? [:]).merging([StorageAnnotations.selectedNode: nodeName]) { $1 }
                updated.metadata = metadata
                _ = try await client.core.v1.persistentVolumeClaims(claim.namespace).update(updated)
            }
        }
    }

    /// Reserves the best volume on `nodeName` for `claim`.
    private func bindVolume(for claim: CoreV1.PersistentVolumeClaim, on nodeName: String, listers: VolumeBinding.Listers) async throws {
        let labels = nodes.lister.get(nodeName)?.metadata?.labels ?? [:]
        let matcher = VolumeMatcher(delayBinding: true, node: VolumeMatcher.Node(name: nodeName, labels: labels))
        guard var volume = matcher.bestMatch(for: claim, among: listers.volumes.list()) else {
            throw VolumeBindingError(message: "no available persistent volume for claim \(claim.cacheKey) on node \(nodeName)")
        }
        guard !volume.isBound(to: claim) else { return }
        volume.spec?.claimRef = CoreV1.ObjectReference(
            apiVersion: "v1", kind: "PersistentVolumeClaim", name: claim.name, namespace: claim.namespace,
            resourceVersion: claim.metadata?.resourceVersion, uid: claim.metadata?.uid)
        var metadata = volume.metadata ?? ObjectMeta()
        metadata.annotations = (metadata.annotations ?? [:]).merging([StorageAnnotations.boundByController: "yes"]) { $1 }
        volume.metadata = metadata
        _ = try await client.core.v1.persistentVolumes().update(volume)
    }
}

/// Why PreBind could not give a claim its volume.
struct VolumeBindingError: Error, CustomStringConvertible {
    var message: String
    var description: String { "running PreBind plugin \"VolumeBinding\": \(message)" }
}
