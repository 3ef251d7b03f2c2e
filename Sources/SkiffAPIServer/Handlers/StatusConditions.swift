import SkiffAPI

/// Conditions in a status as upstream's `UpdatePodCondition` and `meta.SetStatusCondition`
/// set them: an existing condition of the same type is replaced in place (keeping its
/// transition time when its status is unchanged), otherwise the condition is appended.
enum StatusConditions {
    /// `conditions` with `condition` (whose `type` and `status` must be set) stamped `now`.
    static func updating(_ conditions: [JSONValue], with condition: JSONValue, now: Timestamp = .now()) -> [JSONValue] {
        var conditions = conditions
        var condition = condition
        condition["lastTransitionTime"] = .string(now.rfc3339)
        guard let index = conditions.firstIndex(where: { $0["type"] == condition["type"] }) else {
            return conditions + [condition]
        }
        if conditions[index]["status"] == condition["status"] {
            condition["lastTransitionTime"] = conditions[index]["lastTransitionTime"] ?? condition["lastTransitionTime"]
        }
        conditions[index] = condition
        return conditions
    }
}
