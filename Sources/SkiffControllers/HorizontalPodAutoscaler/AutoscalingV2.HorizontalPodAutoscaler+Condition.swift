import SkiffAPI
import SkiffModels

extension AutoscalingV2.HorizontalPodAutoscaler {
    /// Sets a status condition as upstream's `setConditionInList`: the transition time changes
    /// only with the status.
    mutating func setCondition(_ type: String, _ isTrue: Bool, reason: String, message: String, now: Timestamp) {
        var status = self.status ?? AutoscalingV2.HorizontalPodAutoscalerStatus(desiredReplicas: 0)
        var conditions = status.conditions ?? []
        var condition = AutoscalingV2.HorizontalPodAutoscalerCondition(
            lastTransitionTime: now, message: message, reason: reason, status: isTrue ? "True" : "False", type: type)
        if let index = conditions.firstIndex(where: { $0.type == type }) {
            if conditions[index].status == condition.status { condition.lastTransitionTime = conditions[index].lastTransitionTime }
            conditions[index] = condition
        } else {
            conditions.append(condition)
        }
        status.conditions = conditions
        self.status = status
    }
}
