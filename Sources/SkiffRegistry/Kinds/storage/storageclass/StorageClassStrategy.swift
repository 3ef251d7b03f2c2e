import SkiffAPI

/// StorageClasses (storage.k8s.io/v1, cluster-scoped): `Delete`/`Immediate` defaults, a required
/// provisioner, parameters/provisioner/reclaim policy/binding mode fixed after creation.
/// Dynamic provisioning is the PV controller's (not served yet).
struct StorageClassStrategy: ResourceStrategy {
    static let defaultClassAnnotation = "storageclass.kubernetes.io/is-default-class"

    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("reclaimPolicy", "Delete")
        object.setDefault("volumeBindingMode", "Immediate")
    }
}
