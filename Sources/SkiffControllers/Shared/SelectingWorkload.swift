import SkiffAPI
import SkiffModels

/// An apps/v1 workload that owns the objects its label selector matches (ReplicaSets,
/// Deployments, StatefulSets, DaemonSets): what claiming and event routing read of it.
protocol SelectingWorkload: KubernetesObject {
    /// `spec.selector`.
    var labelSelector: MetaV1.LabelSelector? { get }
}

/// A workload whose pod templates are kept as ControllerRevisions (StatefulSets, DaemonSets).
protocol TemplatedWorkload: SelectingWorkload {
    /// `spec.template`.
    var podTemplate: CoreV1.PodTemplateSpec? { get }
    /// `spec.revisionHistoryLimit`.
    var historyLimit: Int32? { get }
}

extension AppsV1.ReplicaSet: SelectingWorkload {
    var labelSelector: MetaV1.LabelSelector? { spec?.selector }
}

extension AppsV1.Deployment: SelectingWorkload {
    var labelSelector: MetaV1.LabelSelector? { spec?.selector }
}

extension AppsV1.StatefulSet: TemplatedWorkload {
    var labelSelector: MetaV1.LabelSelector? { spec?.selector }
    var podTemplate: CoreV1.PodTemplateSpec? { spec?.template }
    var historyLimit: Int32? { spec?.revisionHistoryLimit }
}

extension AppsV1.DaemonSet: TemplatedWorkload {
    var labelSelector: MetaV1.LabelSelector? { spec?.selector }
    var podTemplate: CoreV1.PodTemplateSpec? { spec?.template }
    var historyLimit: Int32? { spec?.revisionHistoryLimit }
}

extension KubernetesObject {
    /// Created earlier, or at the same time with a smaller name (upstream's `ByCreationTimestamp`).
    static func createdBefore(_ left: Self, _ right: Self) -> Bool {
        let leftTime = left.metadata?.creationTimestamp
        let rightTime = right.metadata?.creationTimestamp
        if leftTime == rightTime { return left.name < right.name }
        guard let leftTime, let rightTime else { return leftTime == nil }
        return leftTime < rightTime
    }
}
