import SkiffAPI
import SkiffModels

/// `persistentVolumeClaim`: the volume the claim is bound to, bound into the containers where it
/// lives on the node; this kubelet supports `hostPath` and `local` volumes (what the local-path
/// provisioner and hand-made node-local volumes are). Until the claim is bound the set-up fails,
/// and the pod waits (`FailedMount`), as the binder and the provisioner finish.
struct PersistentVolumeClaimVolume: PodVolume {
    var claimName: String

    var plugin: String? { nil }
    var inMemory: Bool { false }

    func setUp(in directory: String, _ context: VolumeContext) async throws -> String {
        let volume = try await context.reader.boundVolume(namespace: context.pod.namespace, claim: claimName)
        if let hostPath = volume.spec?.hostPath {
            return try await HostPathVolume(path: hostPath.path, type: hostPath.type ?? "").setUp(in: directory, context)
        }
        if let local = volume.spec?.local {
            return try await HostPathVolume(path: local.path, type: "Directory").setUp(in: directory, context)
        }
        throw VolumeSetUpError("persistent volume \(volume.name) is neither a hostPath nor a local volume, which this kubelet cannot mount")
    }
}

extension VolumeSourceReader {
    /// The volume `claim` is bound to; fails, in upstream's words, while the claim is missing,
    /// being deleted or not bound yet, or its volume is missing.
    func boundVolume(namespace: String, claim name: String) async throws -> CoreV1.PersistentVolume {
        guard let claim = try await persistentVolumeClaim(namespace: namespace, name: name) else {
            throw VolumeSetUpError("persistentvolumeclaim \"\(name)\" not found")
        }
        if claim.metadata?.deletionTimestamp != nil {
            throw VolumeSetUpError("can't start pod because PVC \(namespace)/\(name) is being deleted")
        }
        let volumeName = claim.spec?.volumeName ?? ""
        let phase = claim.status?.phase ?? ""
        guard phase == "Bound", !volumeName.isEmpty else {
            throw VolumeSetUpError("PVC \(namespace)/\(name) has non-bound phase (\"\(phase)\") or empty pvc.Spec.VolumeName (\"\(volumeName)\")")
        }
        guard let volume = try await persistentVolume(name: volumeName) else {
            throw VolumeSetUpError("persistentvolume \"\(volumeName)\" not found")
        }
        return volume
    }
}
