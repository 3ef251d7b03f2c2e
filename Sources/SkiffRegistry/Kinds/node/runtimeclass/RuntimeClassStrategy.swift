import SkiffAPI

/// RuntimeClasses (node.k8s.io/v1, cluster-scoped): a required, immutable DNS-label handler;
/// HANDLER column.
struct RuntimeClassStrategy: ResourceStrategy {}
