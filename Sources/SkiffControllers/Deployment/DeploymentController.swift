import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// Rolls Deployments out through ReplicaSets (upstream's deployment controller): one
/// ReplicaSet per pod template, named `<deployment>-<pod-template-hash>`; rolling updates
/// within `maxSurge`/`maxUnavailable` or Recreate; proportional scaling mid-rollout;
/// revisions, rollbacks (kubectl's undo rewrites the template, the controller brings the
/// matching ReplicaSet back), history cleanup, pausing, and the `Available`, `Progressing`
/// and `ReplicaFailure` conditions with the progress deadline.
public struct DeploymentController: Sendable {
    public struct Configuration: Sendable {
        /// Deployments reconciled at the same time (upstream's `ConcurrentDeploymentSyncs`).
        public var workers = 5

        public init() {}
    }

    static let component = "deployment-controller"

    private let controller: Controller<AppsV1.Deployment>
    private let replicaSets: SharedInformer<AppsV1.ReplicaSet>
    private let pods: SharedInformer<CoreV1.Pod>
    private let events: DeploymentEventHandler

    public init(context: ControllerContext, configuration: Configuration = Configuration()) {
        let deployments = context.informers.informer(for: AppsV1.Deployment.self)
        replicaSets = context.informers.informer(for: AppsV1.ReplicaSet.self)
        pods = context.informers.informer(for: CoreV1.Pod.self)
        let sync = DeploymentSync(
            deployments: deployments.lister, replicaSets: replicaSets.lister, pods: pods.lister, client: context.client,
            recorder: context.eventRecorder(component: Self.component), clock: context.clock)
        controller = Controller(
            configuration: .init(name: "deployment", workers: configuration.workers), informer: deployments, key: \.cacheKey,
            reconciler: sync, clock: context.clock, logger: context.logger(for: "deployment"))
        events = DeploymentEventHandler(
            deployments: OwnerResolver(owners: deployments.lister), replicaSets: OwnerResolver(owners: replicaSets.lister),
            queue: controller.queue)
    }

    /// Reconciles Deployments until cancelled.
    public func run() async {
        let events = self.events
        let replicaSetRegistration = replicaSets.addHandler { event in events.replicaSetChanged(event) }
        let podRegistration = pods.addHandler { event in events.podChanged(event) }
        defer {
            replicaSets.removeHandler(replicaSetRegistration)
            pods.removeHandler(podRegistration)
        }
        await controller.run()
    }
}

/// Turns ReplicaSet and pod changes into Deployment keys (upstream's `addReplicaSet`,
/// `updateReplicaSet`, `deleteReplicaSet`, `deletePod`).
struct DeploymentEventHandler: Sendable {
    let deployments: OwnerResolver<AppsV1.Deployment>
    let replicaSets: OwnerResolver<AppsV1.ReplicaSet>
    let queue: DelayingWorkQueue<String>

    func replicaSetChanged(_ event: InformerEvent<AppsV1.ReplicaSet>) {
        switch event {
        case .added(let replicaSet, _):
            if let owner = deployments.controllerKey(of: replicaSet) {
                queue.add(owner)
            } else if !replicaSet.isBeingDeleted {
                deployments.selectingKeys(of: replicaSet).forEach(queue.add)
            }
        case .updated(let old, let new):
            guard old.metadata?.resourceVersion != new.metadata?.resourceVersion else { return }
            let oldOwner = deployments.controllerKey(of: old)
            let newOwner = deployments.controllerKey(of: new)
            if let oldOwner, oldOwner != newOwner { queue.add(oldOwner) }
            if let newOwner {
                queue.add(newOwner)
            } else if old.metadata?.labels != new.metadata?.labels || oldOwner != nil {
                deployments.selectingKeys(of: new).forEach(queue.add)
            }
        case .deleted(let deleted):
            if let owner = deployments.controllerKey(of: deleted.object) { queue.add(owner) }
        }
    }

    /// A Recreate Deployment waits for its old pods to be gone before it scales up: their
    /// deletions wake it.
    func podChanged(_ event: InformerEvent<CoreV1.Pod>) {
        guard case .deleted(let deleted) = event, let replicaSet = replicaSets.controller(of: deleted.object),
            let deployment = deployments.controller(of: replicaSet), !deployment.isRollingUpdate
        else { return }
        queue.add(deployment.cacheKey)
    }
}
