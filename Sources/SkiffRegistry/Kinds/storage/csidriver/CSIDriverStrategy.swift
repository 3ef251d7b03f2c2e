import SkiffAPI

/// CSIDrivers (storage.k8s.io/v1, cluster-scoped): upstream's spec defaults, attachment and
/// lifecycle fields fixed after creation. Drivers themselves are out of Skiff's scope.
struct CSIDriverStrategy: ResourceStrategy {
    var tracksGeneration: Bool { true }

    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            spec.setDefault("attachRequired", true)
            spec.setDefault("podInfoOnMount", false)
            spec.setDefault("storageCapacity", false)
            spec.setDefault("fsGroupPolicy", "ReadWriteOnceWithFSType")
            spec.setDefault("requiresRepublish", false)
            spec.setDefault("seLinuxMount", false)
            if spec.elements(at: "volumeLifecycleModes").isEmpty { spec["volumeLifecycleModes"] = ["Persistent"] }
        }
    }
}
