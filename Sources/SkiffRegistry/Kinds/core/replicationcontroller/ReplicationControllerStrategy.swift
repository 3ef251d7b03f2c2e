import SkiffAPI

/// ReplicationControllers (core/v1): the replica set's older sibling with an equality-based
/// selector map; `status` and `scale` subresources, `status.replicas` selectable.
struct ReplicationControllerStrategy: ReplicaCountingStrategy {
    var selectorIsLabelMap: Bool { true }
}
