import SkiffAPI

/// LimitRanges (core/v1): storage and validation; applying them to pods is the admission's
/// (security issue), not served yet.
struct LimitRangeStrategy: ResourceStrategy {
    static let types = ["Container", "PersistentVolumeClaim", "Pod"]
}
