import SkiffAPI
import SkiffModels

extension CoreV1.PersistentVolumeClaim {
    /// The class the claim asks for (upstream's `GetPersistentVolumeClaimClass`): the beta
    /// annotation, else `spec.storageClassName`, else `""` (no class).
    public var storageClass: String {
        metadata?.annotations?[StorageAnnotations.betaStorageClass] ?? spec?.storageClassName ?? ""
    }

    /// The storage the claim requests (`spec.resources.requests.storage`); zero when unset.
    public var requestedStorage: ResourceQuantity {
        spec?.resources?.requests?["storage"].flatMap { ResourceQuantity(.string($0.string)) } ?? ResourceQuantity(.int(0))!
    }

    /// Whether the binder has bound the claim (the `bind-completed` annotation).
    public var isBindCompleted: Bool { metadata?.annotations?[StorageAnnotations.bindCompleted] != nil }

    /// `spec.volumeMode`, `Filesystem` when unset.
    var effectiveVolumeMode: String { spec?.volumeMode ?? "Filesystem" }
}

extension CoreV1.PersistentVolume {
    /// The volume's class: the beta annotation, else `spec.storageClassName`, else `""`.
    public var storageClass: String {
        metadata?.annotations?[StorageAnnotations.betaStorageClass] ?? spec?.storageClassName ?? ""
    }

    /// The volume's capacity (`spec.capacity.storage`); zero when unset.
    public var capacity: ResourceQuantity {
        spec?.capacity?["storage"].flatMap { ResourceQuantity(.string($0.string)) } ?? ResourceQuantity(.int(0))!
    }

    /// Whether `claimRef` names `claim` (same namespace and name, and its UID unless the reference has none).
    public func isBound(to claim: CoreV1.PersistentVolumeClaim) -> Bool {
        guard let reference = spec?.claimRef, reference.name == claim.name, reference.namespace == claim.namespace else { return false }
        let uid = reference.uid ?? ""
        return uid.isEmpty || uid == claim.metadata?.uid
    }

    /// Whether the volume may be used on a node with `labels` and `name`: its required node
    /// affinity (when set) matches the node (upstream's `CheckNodeAffinity`).
    public func isAccessible(fromNodeLabels labels: [String: String], name: String) -> Bool {
        guard let required = spec?.nodeAffinity?.required else { return true }
        return required.matches(labels: labels, name: name)
    }

    /// Whether every access mode `claim` asks for is one the volume offers.
    public func offersAccessModes(of claim: CoreV1.PersistentVolumeClaim) -> Bool {
        let offered = Set(spec?.accessModes ?? [])
        return (claim.spec?.accessModes ?? []).allSatisfy(offered.contains)
    }

    /// Whether the volume's mode (`Filesystem` when unset) differs from `claim`'s.
    public func hasVolumeModeMismatch(with claim: CoreV1.PersistentVolumeClaim) -> Bool {
        (spec?.volumeMode ?? "Filesystem") != claim.effectiveVolumeMode
    }
}
