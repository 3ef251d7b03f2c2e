import SkiffAPI

/// APIServices (apiregistration.k8s.io/v1, cluster-scoped): status kept on main-resource writes,
/// a name that is `version.group`, priorities in range, SERVICE/AVAILABLE columns. Proxying to
/// aggregated servers is the aggregation layer's (not served).
struct APIServiceStrategy: StatusKeepingStrategy {
}
