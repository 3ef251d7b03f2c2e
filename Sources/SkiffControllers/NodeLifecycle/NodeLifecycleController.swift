import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient
import SkiffModels

/// Watches over node health (upstream's node lifecycle controller): every `monitorPeriod` it
/// checks that each node's kubelet still renews its Lease in `kube-node-lease` or posts its
/// `Ready` heartbeat; after `gracePeriod` of silence the node's conditions become `Unknown`,
/// a node that stops being ready has its pods marked not ready, and the node carries the
/// `not-ready`/`unreachable` NoSchedule and NoExecute taints (plus the NoSchedule taints of
/// its pressure conditions and `spec.unschedulable`) for as long as the conditions say so.
/// Evicting pods from NoExecute-tainted nodes is the `TaintEvictionController`'s job.
public struct NodeLifecycleController: Sendable {
    public struct Configuration: Sendable {
        /// How often nodes are checked (upstream's `--node-monitor-period`).
        public var monitorPeriod: Duration = .seconds(5)
        /// Silence after which a node's status is unknown (`--node-monitor-grace-period`).
        public var gracePeriod: Duration = .seconds(40)
        /// The same for a node that never posted a `Ready` condition (`--node-startup-grace-period`).
        public var startupGracePeriod: Duration = .seconds(60)

        public init() {}
    }

    static let component = "node-controller"

    private let taints: Controller<CoreV1.Node>
    private let monitor: NodeHealthMonitor

    public init(context: ControllerContext, configuration: Configuration = Configuration()) {
        let nodes = context.informers.informer(for: CoreV1.Node.self)
        let logger = context.logger(for: "nodelifecycle")
        taints = Controller(
            configuration: .init(name: "nodelifecycle"), informer: nodes, key: \.cacheKey,
            reconciler: NodeTaintSync(nodes: nodes.lister, client: context.client.core.v1.nodes(), clock: context.clock),
            clock: context.clock, logger: logger)
        monitor = NodeHealthMonitor(
            configuration: configuration, nodes: nodes, leases: context.informers.informer(for: CoordinationV1.Lease.self),
            pods: context.informers.informer(for: CoreV1.Pod.self), client: context.client,
            recorder: context.eventRecorder(component: Self.component), clock: context.clock, logger: logger)
    }

    /// Monitors nodes and keeps their taints until graceful shutdown (the taint queue drains,
    /// the periodic monitor stops) or cancellation.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await taints.run() }
            group.addTask { await cancelWhenGracefulShutdown { await self.monitor.run() } }
        }
    }
}

/// Brings a node's managed taints in line with its conditions.
struct NodeTaintSync: Reconciler {
    let nodes: TypedLister<CoreV1.Node>
    let client: ResourceClient<CoreV1.Node>
    let clock: any TimestampClock

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        guard let node = nodes.get(key), let taints = NodeTaints.reconciled(node, now: clock.now) else { return .done }
        let patch: JSONValue = [
            "metadata": ["resourceVersion": .string(node.metadata?.resourceVersion ?? "")],
            "spec": ["taints": taints.isEmpty ? .null : try JSONValue(encoding: taints)],
        ]
        do {
            _ = try await client.patch(key, type: .merge, patch: patch)
        } catch let error as APIError where error.isNotFound {}
        logger.debug("updated taints", metadata: ["taints": "\(taints.count)"])
        return .done
    }
}
