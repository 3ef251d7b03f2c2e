import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// The informer handlers, work queue and workers of one replicated kind (ReplicaSets or
/// ReplicationControllers) around `ReplicaSetSync`: set changes queue their key, pod changes
/// queue their controller (or the sets that could adopt an orphan) and settle expectations.
struct ReplicaManager<ReplicaSet: ReplicatedWorkload>: Sendable {
    /// The names one kind's manager goes by.
    struct Names {
        /// The work queue's and logger's name (upstream's `replicaset`, `replicationmanager`).
        var queue: String
        /// The component its events come from (`replicaset-controller`, `replication-controller`).
        var component: String
    }

    private let controller: Controller<ReplicaSet>
    private let pods: SharedInformer<CoreV1.Pod>
    private let podEvents: PodEventHandler<ReplicaSet>

    init(context: ControllerContext, configuration: ReplicaSetController.Configuration, names: Names) {
        let replicaSets = context.informers.informer(for: ReplicaSet.self)
        pods = context.informers.informer(for: CoreV1.Pod.self)
        let expectations = ControllerExpectations(clock: context.clock)
        let sync = ReplicaSetSync(
            replicaSets: replicaSets.lister, replicaSetClient: context.client.resource(ReplicaSet.self), pods: pods.lister,
            client: context.client, expectations: expectations,
            podControl: PodControl(client: context.client, recorder: context.eventRecorder(component: names.component), expectations: expectations),
            burstReplicas: configuration.burstReplicas, clock: context.clock)
        controller = Controller(
            configuration: .init(name: names.queue, workers: configuration.workers), informer: replicaSets, key: \.cacheKey,
            reconciler: sync, clock: context.clock, logger: context.logger(for: names.queue))
        podEvents = PodEventHandler(owners: OwnerResolver(owners: replicaSets.lister), expectations: expectations, queue: controller.queue)
    }

    /// Reconciles sets until cancelled.
    func run() async {
        let podEvents = self.podEvents
        let registration = pods.addHandler { event in await podEvents.handle(event) }
        defer { pods.removeHandler(registration) }
        await controller.run()
    }
}
