import Foundation
import Logging
import SkiffAPI
import SkiffClient
import SkiffComponentHelpers
import SkiffModels

/// What the local-path provisioner does to disk and to the API: one directory and one
/// `hostPath` volume per claim, and their removal.
struct LocalPathStorage: Sendable {
    let directory: String
    let claims: TypedLister<CoreV1.PersistentVolumeClaim>
    let volumes: TypedLister<CoreV1.PersistentVolume>
    let classes: TypedLister<StorageV1.StorageClass>
    let volumeClient: ResourceClient<CoreV1.PersistentVolume>
    let events: EventRecorder

    /// Makes the volume of a claim the binder handed to this provisioner, on its selected node.
    func provision(_ claim: CoreV1.PersistentVolumeClaim, logger: Logger) async throws {
        let annotations = claim.metadata?.annotations ?? [:]
        guard annotations[StorageAnnotations.storageProvisioner] == LocalPathProvisioner.name, claim.metadata?.deletionTimestamp == nil,
              (claim.spec?.volumeName ?? "").isEmpty, let uid = claim.metadata?.uid,
              let storageClass = classes.get(claim.storageClass), storageClass.provisioner == LocalPathProvisioner.name
        else { return }
        let name = "pvc-\(uid)"
        guard volumes.get(name) == nil else { return }
        guard let node = annotations[StorageAnnotations.selectedNode] else {
            if storageClass.volumeBindingMode != "WaitForFirstConsumer" {
                await events.record(
                    ObjectReference(claim), type: .warning, reason: "ProvisioningFailed",
                    message: "failed to provision volume with StorageClass \"\(storageClass.name)\": configuration error, no node was specified")
            }
            return
        }
        await events.record(ObjectReference(claim), reason: "Provisioning", message: "External provisioner is provisioning volume for claim \"\(claim.cacheKey)\"")
        let path = "\(directory)/\(name)_\(claim.namespace)_\(claim.name)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        let volume = CoreV1.PersistentVolume(
            metadata: ObjectMeta(name: name, annotations: [StorageAnnotations.provisionedBy: LocalPathProvisioner.name]),
            spec: CoreV1.PersistentVolumeSpec(
                accessModes: claim.spec?.accessModes ?? ["ReadWriteOnce"],
                capacity: ["storage": claim.spec?.resources?.requests?["storage"] ?? "0"],
                claimRef: CoreV1.ObjectReference(
                    apiVersion: "v1", kind: "PersistentVolumeClaim", name: claim.name, namespace: claim.namespace,
                    resourceVersion: claim.metadata?.resourceVersion, uid: uid),
                hostPath: CoreV1.HostPathVolumeSource(path: path, type: "DirectoryOrCreate"),
                nodeAffinity: CoreV1.VolumeNodeAffinity(
                    required: CoreV1.NodeSelector(nodeSelectorTerms: [
                        CoreV1.NodeSelectorTerm(matchExpressions: [CoreV1.NodeSelectorRequirement(key: "kubernetes.io/hostname", operator: "In", values: [node])])
                    ])),
                persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? "Delete", storageClassName: storageClass.name,
                volumeMode: claim.spec?.volumeMode ?? "Filesystem"))
        do {
            _ = try await volumeClient.create(volume)
        } catch let error as APIError where error.isAlreadyExists {
            return
        }
        logger.info("provisioned", metadata: ["claim": "\(claim.cacheKey)", "volume": "\(name)", "path": "\(path)"])
        await events.record(ObjectReference(claim), reason: "ProvisioningSucceeded", message: "Successfully provisioned volume \(name)")
    }

    /// Removes the directory and the volume of a released `Delete` volume this provisioner made.
    func deleteIfReleased(_ volume: CoreV1.PersistentVolume, logger: Logger) async throws {
        guard volume.metadata?.annotations?[StorageAnnotations.provisionedBy] == LocalPathProvisioner.name, volume.status?.phase == "Released",
              volume.spec?.persistentVolumeReclaimPolicy == "Delete", volume.metadata?.deletionTimestamp == nil
        else { return }
        if let path = volume.spec?.hostPath?.path, path.hasPrefix(directory + "/"), FileManager.default.fileExists(atPath: path) {
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                await events.record(ObjectReference(volume), type: .warning, reason: "VolumeFailedDelete", message: "\(error)")
                throw error
            }
        }
        do {
            try await volumeClient.delete(volume.name, options: DeleteOptions(preconditions: .init(uid: volume.metadata?.uid)))
            logger.info("deleted", metadata: ["volume": "\(volume.name)"])
        } catch let error as APIError where error.isNotFound {
            return
        }
    }
}
