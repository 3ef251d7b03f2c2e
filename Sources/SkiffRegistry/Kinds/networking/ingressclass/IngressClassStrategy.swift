import SkiffAPI

/// IngressClasses (networking.k8s.io/v1, cluster-scoped): a required, immutable controller name,
/// CONTROLLER/PARAMETERS columns.
struct IngressClassStrategy: ResourceStrategy {
    var tracksGeneration: Bool { true }
}
