import SkiffAPI

extension PersistentVolumeStrategy {
    /// `Retain` reclaim policy, `Filesystem` mode.
    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            spec.setDefault("persistentVolumeReclaimPolicy", "Retain")
            spec.setDefault("volumeMode", "Filesystem")
        }
    }
}
