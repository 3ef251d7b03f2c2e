import SkiffAPI

extension PersistentVolumeClaimStrategy {
    func applyDefaults(to object: inout JSONValue) { Self.applyClaimDefaults(&object) }

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
}
