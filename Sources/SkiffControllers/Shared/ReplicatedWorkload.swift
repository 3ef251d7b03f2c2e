import SkiffAPI
import SkiffModels

/// A workload that keeps a number of identical pods from one template: ReplicaSets and
/// ReplicationControllers, which one sync serves (upstream runs its ReplicaSet controller over
/// ReplicationControllers through conversion; Skiff is generic over this protocol instead).
protocol ReplicatedWorkload: SelectingWorkload {
    associatedtype Status: ReplicaStatusFields
    /// `spec.replicas` (1 when unset).
    var desiredReplicas: Int { get }
    /// `spec.minReadySeconds`.
    var minReadySeconds: Int64 { get }
    /// `spec.template`.
    var podTemplate: CoreV1.PodTemplateSpec? { get }
    var status: Status? { get set }
}

/// The status both kinds have, field for field (`AppsV1.ReplicaSetStatus`,
/// `CoreV1.ReplicationControllerStatus`).
protocol ReplicaStatusFields: Equatable {
    associatedtype Condition: ReplicaConditionFields
    var availableReplicas: Int32? { get set }
    var conditions: [Condition]? { get set }
    var fullyLabeledReplicas: Int32? { get set }
    var observedGeneration: Int64? { get set }
    var readyReplicas: Int32? { get set }
    var replicas: Int32 { get set }

    init(
        availableReplicas: Int32?, conditions: [Condition]?, fullyLabeledReplicas: Int32?, observedGeneration: Int64?,
        readyReplicas: Int32?, replicas: Int32)
}

/// A condition of either kind's status (`ReplicaFailure` is the only type upstream sets).
protocol ReplicaConditionFields: Equatable {
    var type: String { get }

    init(lastTransitionTime: Timestamp?, message: String?, reason: String?, status: String, type: String)
}

extension AppsV1.ReplicaSet: ReplicatedWorkload {
    var desiredReplicas: Int { Int(spec?.replicas ?? 1) }
    var minReadySeconds: Int64 { Int64(spec?.minReadySeconds ?? 0) }
    var podTemplate: CoreV1.PodTemplateSpec? { spec?.template }
}

extension AppsV1.ReplicaSetStatus: ReplicaStatusFields {}
extension AppsV1.ReplicaSetCondition: ReplicaConditionFields {}

extension CoreV1.ReplicationController: ReplicatedWorkload {
    /// `spec.selector`, a plain label map, as a selector of `matchLabels`.
    var labelSelector: MetaV1.LabelSelector? { spec?.selector.map { MetaV1.LabelSelector(matchLabels: $0) } }
    var desiredReplicas: Int { Int(spec?.replicas ?? 1) }
    var minReadySeconds: Int64 { Int64(spec?.minReadySeconds ?? 0) }
    var podTemplate: CoreV1.PodTemplateSpec? { spec?.template }
}

extension CoreV1.ReplicationControllerStatus: ReplicaStatusFields {}
extension CoreV1.ReplicationControllerCondition: ReplicaConditionFields {}
