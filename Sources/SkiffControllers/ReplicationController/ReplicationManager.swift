import SkiffModels

/// Keeps `spec.replicas` pods of each ReplicationController (upstream's replicationcontroller
/// controller, `ReplicationManager`): the ReplicaSet controller's sync over the core/v1 kind,
/// whose selector is a plain label map. Pods are owned by the controller (`v1`,
/// `ReplicationController`), events come from `replication-controller`.
public struct ReplicationManager: Sendable {
    /// The same settings as the ReplicaSet controller's.
    public typealias Configuration = ReplicaSetController.Configuration

    private let manager: ReplicaManager<CoreV1.ReplicationController>

    public init(context: ControllerContext, configuration: Configuration = Configuration()) {
        manager = ReplicaManager(
            context: context, configuration: configuration, names: .init(queue: "replicationmanager", component: "replication-controller"))
    }

    /// Reconciles ReplicationControllers until cancelled.
    public func run() async {
        await manager.run()
    }
}
