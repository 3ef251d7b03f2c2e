import SkiffAPI

/// PersistentVolumeClaims: born `Pending`, a spec that is immutable but for what binding and
/// resizing change, and the claim columns.
struct PersistentVolumeClaimStrategy: ResourceStrategy {
    var returnsDeletedObject: Bool { true }

    /// Defaults of a claim (also used for stateful sets' claim templates): the spec's and a `Pending` phase.
    static func applyClaimDefaults(_ claim: inout JSONValue) {
        claim.setDefault("spec", .emptyObject)
        claim.editMember("spec", applySpecDefaults)
        claim.setDefault("status", .emptyObject)
        claim.editMember("status") { $0.setDefault("phase", "Pending") }
    }

    /// Defaults of a claim spec (also in ephemeral volumes): `Filesystem` volumes.
    static func applySpecDefaults(_ spec: inout JSONValue) {
        spec.setDefault("volumeMode", "Filesystem")
        spec.setDefault("resources", .emptyObject)
    }

    func prepareForCreate(_ object: inout JSONValue) { object["status"] = .emptyObject }

    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) { object["status"] = old["status"] }

    /// Access modes as kubectl abbreviates them, in upstream's fixed order (`RWO,ROX,RWX,RWOP`).
    static func accessModes(_ modes: [String]) -> String {
        [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")]
            .filter { modes.contains($0.0) }.map(\.1).joined(separator: ",")
    }
}
