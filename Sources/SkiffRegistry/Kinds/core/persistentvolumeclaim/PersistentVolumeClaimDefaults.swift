import SkiffAPI

extension PersistentVolumeClaimStrategy {
    func applyDefaults(to object: inout JSONValue) { Self.applyClaimDefaults(&object) }
}
