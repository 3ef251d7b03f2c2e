import SkiffAPI

extension PersistentVolumeStrategy {
    /// The volume sources a spec may name (exactly one).
    static let volumeSources = [
        "awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "csi", "fc", "flexVolume", "flocker",
        "gcePersistentDisk", "glusterfs", "hostPath", "iscsi", "local", "nfs", "photonPersistentDisk", "portworxVolume",
        "quobyte", "rbd", "scaleIO", "storageos", "vsphereVolume",
    ]

    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let spec = object["spec"] ?? .emptyObject
        let modes = spec.elements(at: "accessModes")
        if modes.isEmpty { errors.append(.required("spec.accessModes")) }
        let supportedModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
        for mode in modes where !supportedModes.contains(mode.stringValue ?? "") {
            errors.append(.notSupported("spec.accessModes", mode, supported: supportedModes))
        }
        let capacity = spec["capacity"]?.objectValue ?? [:]
        if capacity.isEmpty {
            errors.append(.required("spec.capacity"))
        } else if capacity["storage"] == nil || capacity.count > 1 {
            errors.append(.notSupported("spec.capacity", .string(capacity.keys.sorted().joined(separator: ",")), supported: ["storage"]))
        }
        errors += FieldRules.supported(spec["persistentVolumeReclaimPolicy"], field: "spec.persistentVolumeReclaimPolicy",
                                       values: ["Delete", "Recycle", "Retain"])
        let sources = Self.volumeSources.filter { spec[$0] != nil && spec[$0] != .null }
        if sources.isEmpty {
            errors.append(.required("spec", "must specify a volume type"))
        } else if sources.count > 1 {
            errors.append(.forbidden("spec.\(sources[1])", "may not specify more than 1 volume type"))
        }
        if let mode = spec["volumeMode"], !["Block", "Filesystem"].contains(mode.stringValue ?? "") {
            errors.append(.notSupported("spec.volumeMode", mode, supported: ["Block", "Filesystem"]))
        }
        return errors
    }

    /// The volume source never changes once created.
    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        FieldRules.immutable(object, old: old, Self.volumeSources.filter { old[path: "spec", $0] != nil }.map { ["spec", $0] })
            + FieldRules.immutable(object, old: old, [["spec", "volumeMode"]])
    }
}
