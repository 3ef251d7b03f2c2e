import SkiffAPI

/// CSIStorageCapacities (storage.k8s.io/v1): a storage class name is required;
/// STORAGECLASSNAME/CAPACITY columns (no AGE, as upstream).
struct CSIStorageCapacityStrategy: ResourceStrategy {}
