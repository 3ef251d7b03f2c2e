import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient
import SkiffModels

/// Runs DaemonSets (upstream's daemon controller): one pod per node that the template's node
/// selection and tolerations admit, created with a required node affinity on the node's name
/// for the scheduler to bind; it follows nodes as they come, go and change labels or taints,
/// replaces old pods by `RollingUpdate` (`maxUnavailable`, `maxSurge`) or when deleted
/// (`OnDelete`), and keeps the template's history as ControllerRevisions.
public struct DaemonSetController: Sendable {
    /// How the controller runs.
    public struct Configuration: Sendable {
        /// DaemonSets reconciled at the same time.
        public var workers = 2

        /// The defaults.
        public init() {}
    }

    static let component = "daemonset-controller"

    private let controller: Controller<AppsV1.DaemonSet>
    private let daemonSets: SharedInformer<AppsV1.DaemonSet>
    private let pods: SharedInformer<CoreV1.Pod>
    private let nodes: SharedInformer<CoreV1.Node>
    private let revisions: SharedInformer<AppsV1.ControllerRevision>
    private let podEvents: PodEventHandler<AppsV1.DaemonSet>

    /// A controller on the manager's shared informers and client.
    public init(context: ControllerContext, configuration: Configuration = Configuration()) {
        daemonSets = context.informers.informer(for: AppsV1.DaemonSet.self)
        pods = context.informers.informer(for: CoreV1.Pod.self)
        nodes = context.informers.informer(for: CoreV1.Node.self)
        revisions = context.informers.informer(for: AppsV1.ControllerRevision.self)
        let expectations = ControllerExpectations(clock: context.clock)
        let history = ControllerHistory<AppsV1.DaemonSet>(
            revisions: revisions.lister, client: context.client, hashLabel: DaemonSetPlacement.hashLabel)
        let sync = DaemonSetSync(
            daemonSets: daemonSets.lister, pods: pods.lister, nodes: nodes.lister, history: history, client: context.client,
            expectations: expectations,
            podControl: PodControl(client: context.client, recorder: context.eventRecorder(component: Self.component), expectations: expectations),
            failedPodBackoff: FailedPodBackoff(clock: context.clock), clock: context.clock)
        controller = Controller(
            configuration: .init(name: "daemonset", workers: configuration.workers), informer: daemonSets, key: \.cacheKey,
            reconciler: sync, clock: context.clock, logger: context.logger(for: "daemonset"))
        podEvents = PodEventHandler(owners: OwnerResolver(owners: daemonSets.lister), expectations: expectations, queue: controller.queue)
    }

    /// Reconciles DaemonSets until cancelled; pod changes queue their set, node changes that
    /// matter for placement queue every set.
    public func run() async {
        let podEvents = self.podEvents
        let podRegistration = pods.addHandler { event in await podEvents.handle(event) }
        defer { pods.removeHandler(podRegistration) }
        let daemonSets = self.daemonSets.lister
        let queue = controller.queue
        let nodeRegistration = nodes.addHandler { event in
            if case .updated(let old, let new) = event, !Self.placementChanged(old, new) { return }
            daemonSets.list().map(\.cacheKey).forEach(queue.add)
        }
        defer { nodes.removeHandler(nodeRegistration) }
        let synced = await cancelWhenGracefulShutdown { [pods = self.pods, nodes = self.nodes, revisions = self.revisions] in
            guard await pods.waitForCacheSync() else { return false }
            guard await nodes.waitForCacheSync() else { return false }
            return await revisions.waitForCacheSync()
        }
        guard synced else { return }
        await controller.run()
    }

    /// Whether a node change can change where daemon pods run: its labels, taints or
    /// schedulability (upstream's `shouldIgnoreNodeUpdate` ignores the rest).
    static func placementChanged(_ old: CoreV1.Node, _ new: CoreV1.Node) -> Bool {
        old.metadata?.labels != new.metadata?.labels || old.spec?.taints != new.spec?.taints
            || old.spec?.unschedulable != new.spec?.unschedulable
    }
}
