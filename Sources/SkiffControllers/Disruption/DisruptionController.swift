import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// Keeps the status of PodDisruptionBudgets (upstream's disruption controller): how many of the
/// selected pods are healthy and how many must be, how many pods are expected (from the scale of
/// their controllers when the budget is a percentage or `maxUnavailable`), how many
/// disruptions are allowed now, the `DisruptionAllowed` condition, and the evictions the
/// eviction API approved that are still to happen (`disruptedPods`, dropped once the pod is
/// deleted or two minutes have passed). The eviction API reads and decrements this status. A
/// second queue resets `DisruptionTarget` conditions that no deletion followed.
public struct DisruptionController: Sendable {
    /// Budgets reconciled at the same time.
    public static let workers = 1

    private let controller: Controller<PolicyV1.PodDisruptionBudget>
    private let stalePodDisruptions: Controller<CoreV1.Pod>
    private let pods: SharedInformer<CoreV1.Pod>
    private let budgets: TypedLister<PolicyV1.PodDisruptionBudget>

    public init(context: ControllerContext) {
        let budgetInformer = context.informers.informer(for: PolicyV1.PodDisruptionBudget.self)
        pods = context.informers.informer(for: CoreV1.Pod.self)
        budgets = budgetInformer.lister
        let scales = ControllerScales(
            replicaSets: context.informers.informer(for: AppsV1.ReplicaSet.self).lister,
            deployments: context.informers.informer(for: AppsV1.Deployment.self).lister,
            statefulSets: context.informers.informer(for: AppsV1.StatefulSet.self).lister,
            replicationControllers: context.informers.informer(for: CoreV1.ReplicationController.self).lister)
        let sync = DisruptionSync(
            budgets: budgetInformer.lister, pods: pods.lister, scales: scales, client: context.client,
            recorder: context.eventRecorder(component: "controllermanager"), clock: context.clock)
        controller = Controller(
            configuration: .init(name: "disruption", workers: Self.workers), informer: budgetInformer, key: \.cacheKey,
            reconciler: sync, clock: context.clock, logger: context.logger(for: "disruption"))
        stalePodDisruptions = Controller(
            configuration: .init(name: "stale-pod-disruption"), informer: pods, key: \.cacheKey,
            reconciler: StalePodDisruptionSync(pods: pods.lister, client: context.client, clock: context.clock),
            clock: context.clock, logger: context.logger(for: "stale-pod-disruption"))
    }

    /// Reconciles budgets until cancelled; pod changes queue the budgets selecting the pod.
    public func run() async {
        let budgets = self.budgets
        let queue = controller.queue
        let registration = pods.addHandler { event in
            let changed: [CoreV1.Pod] = switch event {
            case .added(let pod, _): [pod]
            case .updated(let old, let new): old.metadata?.labels == new.metadata?.labels ? [new] : [old, new]
            case .deleted(let deleted): [deleted.object]
            }
            Set(changed.flatMap { Self.budgetKeys(selecting: $0, in: budgets) }).forEach(queue.add)
        }
        defer { pods.removeHandler(registration) }
        await withDiscardingTaskGroup { group in
            group.addTask { await controller.run() }
            group.addTask { await stalePodDisruptions.run() }
        }
    }

    /// The keys of the budgets in the pod's namespace whose selector matches it (upstream queues
    /// one of them and warns when there are several; every one of them is kept up to date here).
    static func budgetKeys(selecting pod: CoreV1.Pod, in budgets: TypedLister<PolicyV1.PodDisruptionBudget>) -> [String] {
        let labels = pod.metadata?.labels ?? [:]
        return budgets.namespace(pod.namespace).list().filter { budget in
            guard let selector = try? LabelSelector(budget.spec?.selector) else { return false }
            return selector.matches(labels)
        }.map(\.cacheKey)
    }
}
