import SkiffAPI

/// PersistentVolumes (core/v1, cluster-scoped): born `Pending`, status kept on main-resource
/// writes; binding and reclaiming are the PV controller's (not served yet).
struct PersistentVolumeStrategy: StatusKeepingStrategy {
    var initialStatus: JSONValue? { ["phase": "Pending"] }

    var returnsDeletedObject: Bool { true }
}
