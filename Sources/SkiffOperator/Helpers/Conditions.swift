import SkiffAPI
import SkiffModels

/// The status of a `metav1.Condition`.
public enum ConditionStatus: String, Sendable {
    case `true` = "True"
    case `false` = "False"
    case unknown = "Unknown"
}

extension Array where Element == MetaV1.Condition {
    /// The condition of `type`, if present.
    public func condition(_ type: String) -> MetaV1.Condition? {
        first { $0.type == type }
    }

    /// Whether the condition of `type` is `True`.
    public func isTrue(_ type: String) -> Bool {
        condition(type)?.status == ConditionStatus.true.rawValue
    }

    /// Sets the condition of `type` as apimachinery's `meta.SetStatusCondition` does: a new
    /// condition, or one whose status changes, gets `lastTransitionTime` = `now`; reason, message
    /// and `observedGeneration` are always updated. Returns whether anything changed (so a status
    /// write is needed).
    @discardableResult
    public mutating func set(
        _ type: String, status: ConditionStatus, reason: String, message: String, observedGeneration: Int64?, now: Timestamp
    ) -> Bool {
        guard let index = firstIndex(where: { $0.type == type }) else {
            append(MetaV1.Condition(
                lastTransitionTime: now, message: message, observedGeneration: observedGeneration, reason: reason,
                status: status.rawValue, type: type))
            return true
        }
        var condition = self[index]
        if condition.status != status.rawValue {
            condition.status = status.rawValue
            condition.lastTransitionTime = now
        }
        condition.reason = reason
        condition.message = message
        condition.observedGeneration = observedGeneration
        guard condition != self[index] else { return false }
        self[index] = condition
        return true
    }

    /// Removes the condition of `type`; returns whether it was there.
    @discardableResult
    public mutating func remove(_ type: String) -> Bool {
        let before = count
        removeAll { $0.type == type }
        return count != before
    }
}
