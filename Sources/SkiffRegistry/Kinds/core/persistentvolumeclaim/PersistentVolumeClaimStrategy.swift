import SkiffAPI

/// PersistentVolumeClaims: born `Pending`, a spec that is immutable but for what binding and
/// resizing change, and the claim columns.
struct PersistentVolumeClaimStrategy: ResourceStrategy {
    var returnsDeletedObject: Bool { true }

    func prepareForCreate(_ object: inout JSONValue) { object["status"] = .emptyObject }

    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) { object["status"] = old["status"] }
}
