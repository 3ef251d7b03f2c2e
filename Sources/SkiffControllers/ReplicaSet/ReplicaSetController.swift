import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// Keeps `spec.replicas` pods of each ReplicaSet (upstream's replicaset controller): it claims
/// the active pods its selector matches (adopting orphans, releasing pods that stopped
/// matching), creates pods from the template named `<replicaset>-<5 random characters>` with
/// the set as their controller, deletes the least valuable pods first when there are too many,
/// and reports counts in the status. Expectations keep a lagging cache from making it create
/// or delete twice.
public struct ReplicaSetController: Sendable {
    public struct Configuration: Sendable {
        /// ReplicaSets reconciled at the same time.
        public var workers = 5
        /// The most pods created or deleted in one sync (upstream's `BurstReplicas`).
        public var burstReplicas = 500

        public init() {}
    }

    static let component = "replicaset-controller"

    private let controller: Controller<AppsV1.ReplicaSet>
    private let pods: SharedInformer<CoreV1.Pod>
    private let podEvents: PodEventHandler<AppsV1.ReplicaSet>

    public init(context: ControllerContext, configuration: Configuration = Configuration()) {
        let replicaSets = context.informers.informer(for: AppsV1.ReplicaSet.self)
        pods = context.informers.informer(for: CoreV1.Pod.self)
        let expectations = ControllerExpectations(clock: context.clock)
        let sync = ReplicaSetSync(
            replicaSets: replicaSets.lister, pods: pods.lister, client: context.client, expectations: expectations,
            podControl: PodControl(client: context.client, recorder: context.eventRecorder(component: Self.component), expectations: expectations),
            burstReplicas: configuration.burstReplicas, clock: context.clock)
        controller = Controller(
            configuration: .init(name: "replicaset", workers: configuration.workers), informer: replicaSets, key: \.cacheKey,
            reconciler: sync, clock: context.clock, logger: context.logger(for: "replicaset"))
        podEvents = PodEventHandler(owners: OwnerResolver(owners: replicaSets.lister), expectations: expectations, queue: controller.queue)
    }

    /// Reconciles ReplicaSets until cancelled.
    public func run() async {
        let podEvents = self.podEvents
        let registration = pods.addHandler { event in await podEvents.handle(event) }
        defer { pods.removeHandler(registration) }
        await controller.run()
    }
}
