import SkiffAPI

/// APIServices (apiregistration.k8s.io/v1, cluster-scoped): status kept on main-resource writes,
/// a name that is `version.group` (`v1.` for the core group), priorities in range,
/// SERVICE/AVAILABLE columns. Proxying to aggregated servers is `AggregationProxy`'s (SkiffAPIServer).
struct APIServiceStrategy: StatusKeepingStrategy {
    /// A path segment, as upstream's (the core group's APIService is `v1.`).
    var nameRule: NameValidation.Rule { .pathSegment }
}
