import Logging
import SkiffAPI
import SkiffClient

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

    private let controller: Controller<JSONValue>
    private let replicaSets: SharedInformer<JSONValue>
    private let pods: SharedInformer<JSONValue>
    private let events: DeploymentEventHandler

    public init(context: ControllerContext, configuration: Configuration = Configuration()) {
        let deployments = context.informers.informer(for: .deployments)
        replicaSets = context.informers.informer(for: .replicaSets)
        pods = context.informers.informer(for: .pods)
        let sync = DeploymentSync(
            deployments: deployments.lister, replicaSets: replicaSets.lister, pods: pods.lister, client: context.client,
            recorder: context.eventRecorder(component: Self.component), clock: context.clock)
        controller = Controller(
            configuration: .init(name: "deployment", workers: configuration.workers), informer: deployments, key: ObjectKey.of,
            reconciler: sync, clock: context.clock, logger: context.logger(for: "deployment"))
        events = DeploymentEventHandler(
            deployments: OwnerResolver(owners: deployments.lister, kind: "Deployment"),
            replicaSets: OwnerResolver(owners: replicaSets.lister, kind: "ReplicaSet"), queue: controller.queue)
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
    let deployments: OwnerResolver
    let replicaSets: OwnerResolver
    let queue: DelayingWorkQueue<String>

    func replicaSetChanged(_ event: InformerEvent<JSONValue>) {
        switch event {
        case .added(let replicaSet, _):
            if let owner = deployments.controllerKey(of: replicaSet) {
                queue.add(owner)
            } else if replicaSet.deletionTimestamp == nil {
                deployments.selectingKeys(of: replicaSet).forEach(queue.add)
            }
        case .updated(let old, let new):
            guard old.resourceVersion != new.resourceVersion else { return }
            let oldOwner = deployments.controllerKey(of: old)
            let newOwner = deployments.controllerKey(of: new)
            if let oldOwner, oldOwner != newOwner { queue.add(oldOwner) }
            if let newOwner {
                queue.add(newOwner)
            } else if old.labels != new.labels || oldOwner != nil {
                deployments.selectingKeys(of: new).forEach(queue.add)
            }
        case .deleted(let deleted):
            if let owner = deployments.controllerKey(of: deleted.object) { queue.add(owner) }
        }
    }

    /// A Recreate Deployment waits for its old pods to be gone before it scales up: their
    /// deletions wake it.
    func podChanged(_ event: InformerEvent<JSONValue>) {
        guard case .deleted(let deleted) = event, let replicaSet = replicaSets.controller(of: deleted.object),
            let deployment = deployments.controller(of: replicaSet), !deployment.isRollingUpdate
        else { return }
        queue.add(ObjectKey.of(deployment))
    }
}
