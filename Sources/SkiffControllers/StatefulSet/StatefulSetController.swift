import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient
import SkiffModels

/// Runs StatefulSets (upstream's statefulset controller): pods with stable names
/// `<set>-<ordinal>`, host names under the set's service and claims from the set's
/// `volumeClaimTemplates`, created in order and removed in reverse order (`OrderedReady`) or
/// all at once (`Parallel`), updated from the highest ordinal down to the `partition`
/// (`RollingUpdate`) or when deleted (`OnDelete`), with the template's history kept as
/// ControllerRevisions.
public struct StatefulSetController: Sendable {
    /// How the controller runs.
    public struct Configuration: Sendable {
        /// StatefulSets reconciled at the same time.
        public var workers = 5

        /// The defaults.
        public init() {}
    }

    static let component = "statefulset-controller"

    private let controller: Controller<AppsV1.StatefulSet>
    private let statefulSets: SharedInformer<AppsV1.StatefulSet>
    private let pods: SharedInformer<CoreV1.Pod>
    private let revisions: SharedInformer<AppsV1.ControllerRevision>
    private let claims: SharedInformer<CoreV1.PersistentVolumeClaim>

    /// A controller on the manager's shared informers and client.
    public init(context: ControllerContext, configuration: Configuration = Configuration()) {
        statefulSets = context.informers.informer(for: AppsV1.StatefulSet.self)
        pods = context.informers.informer(for: CoreV1.Pod.self)
        revisions = context.informers.informer(for: AppsV1.ControllerRevision.self)
        claims = context.informers.informer(for: CoreV1.PersistentVolumeClaim.self)
        let history = ControllerHistory<AppsV1.StatefulSet>(
            revisions: revisions.lister, client: context.client, hashLabel: "controller.kubernetes.io/hash")
        let sync = StatefulSetSync(
            statefulSets: statefulSets.lister, pods: pods.lister, claims: claims.lister, history: history, client: context.client,
            recorder: context.eventRecorder(component: Self.component), clock: context.clock)
        controller = Controller(
            configuration: .init(name: "statefulset", workers: configuration.workers), informer: statefulSets, key: \.cacheKey,
            reconciler: sync, clock: context.clock, logger: context.logger(for: "statefulset"))
    }

    /// Reconciles StatefulSets until cancelled; a pod's change queues its set (or the sets that may adopt it).
    public func run() async {
        let podEvents = PodEventHandler(owners: OwnerResolver(owners: statefulSets.lister), expectations: nil, queue: controller.queue)
        let registration = pods.addHandler { event in await podEvents.handle(event) }
        defer { pods.removeHandler(registration) }
        let synced = await cancelWhenGracefulShutdown { [pods = self.pods, revisions = self.revisions, claims = self.claims] in
            guard await pods.waitForCacheSync() else { return false }
            guard await revisions.waitForCacheSync() else { return false }
            return await claims.waitForCacheSync()
        }
        guard synced else { return }
        await controller.run()
    }
}
