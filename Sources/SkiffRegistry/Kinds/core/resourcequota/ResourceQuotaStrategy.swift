import SkiffAPI

/// ResourceQuotas (core/v1): status (hard, used) kept on main-resource writes; usage tracking
/// and enforcement are the quota controller's and admission's (security issue), not served yet.
struct ResourceQuotaStrategy: StatusKeepingStrategy {
    var initialStatus: JSONValue? { nil }
}
