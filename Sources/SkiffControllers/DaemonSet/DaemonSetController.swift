import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient

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

    private let controller: Controller<JSONValue>
    private let daemonSets: SharedInformer<JSONValue>
    private let pods: SharedInformer<JSONValue>
    private let nodes: SharedInformer<JSONValue>
    private let revisions: SharedInformer<JSONValue>
    private let podEvents: PodEventHandler

    /// A controller on the manager's shared informers and client.
    public init(context: ControllerContext, configuration: Configuration = Configuration()) {
        daemonSets = context.informers.informer(for: .daemonSets)
        pods = context.informers.informer(for: .pods)
        nodes = context.informers.informer(for: .nodes)
        revisions = context.informers.informer(for: .controllerRevisions)
        let expectations = ControllerExpectations()
        let history = ControllerHistory(
            revisions: revisions.lister, client: context.client, ownerKind: "DaemonSet", hashLabel: DaemonSetPlacement.hashLabel)
        let sync = DaemonSetSync(
            daemonSets: daemonSets.lister, pods: pods.lister, nodes: nodes.lister, history: history, client: context.client,
            expectations: expectations,
            podControl: PodControl(client: context.client, recorder: context.eventRecorder(component: Self.component), expectations: expectations),
            failedPodBackoff: FailedPodBackoff())
        controller = Controller(
            configuration: .init(name: "daemonset", workers: configuration.workers), informer: daemonSets, key: ObjectKey.of,
            reconciler: sync, logger: context.logger(for: "daemonset"))
        podEvents = PodEventHandler(owners: daemonSets.lister, kind: "DaemonSet", expectations: expectations, queue: controller.queue)
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
            daemonSets.list().map(ObjectKey.of).forEach(queue.add)
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
    static func placementChanged(_ old: JSONValue, _ new: JSONValue) -> Bool {
        old.labels != new.labels || old[path: "spec", "taints"] != new[path: "spec", "taints"]
            || old[path: "spec", "unschedulable"] != new[path: "spec", "unschedulable"]
    }
}
