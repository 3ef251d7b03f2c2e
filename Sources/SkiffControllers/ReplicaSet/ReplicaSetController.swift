import SkiffModels

/// Keeps `spec.replicas` pods of each ReplicaSet (upstream's replicaset controller): it claims
/// the active pods its selector matches (adopting orphans, releasing pods that stopped
/// matching), creates pods from the template named `<replicaset>-<5 random characters>` with
/// the set as their controller, deletes the least valuable pods first when there are too many,
/// and reports counts and the `ReplicaFailure` condition in the status. Expectations keep a
/// lagging cache from making it create or delete twice.
public struct ReplicaSetController: Sendable {
    public struct Configuration: Sendable {
        /// Sets reconciled at the same time.
        public var workers = 5
        /// The most pods created or deleted in one sync (upstream's `BurstReplicas`).
        public var burstReplicas = 500

        public init() {}
    }

    private let manager: ReplicaManager<AppsV1.ReplicaSet>

    public init(context: ControllerContext, configuration: Configuration = Configuration()) {
        manager = ReplicaManager(context: context, configuration: configuration, names: .init(queue: "replicaset", component: "replicaset-controller"))
    }

    /// Reconciles ReplicaSets until cancelled.
    public func run() async {
        await manager.run()
    }
}
