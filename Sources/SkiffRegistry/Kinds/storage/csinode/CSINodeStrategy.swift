import SkiffAPI

/// CSINodes (storage.k8s.io/v1, cluster-scoped): the CSI drivers a node runs, each named once;
/// DRIVERS counts them.
struct CSINodeStrategy: ResourceStrategy {}
