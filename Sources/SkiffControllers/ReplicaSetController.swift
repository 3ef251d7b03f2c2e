import Logging
import SkiffAPI
import SkiffClient

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

    private let controller: Controller<JSONValue>
    private let pods: SharedInformer<JSONValue>
    private let podEvents: PodEventHandler

    public init(context: ControllerContext, configuration: Configuration = Configuration()) {
        let replicaSets = context.informers.informer(for: .replicaSets)
        pods = context.informers.informer(for: .pods)
        let expectations = ControllerExpectations()
        let sync = ReplicaSetSync(
            replicaSets: replicaSets.lister, pods: pods.lister, client: context.client, expectations: expectations,
            recorder: context.eventRecorder(component: Self.component), burstReplicas: configuration.burstReplicas)
        controller = Controller(
            configuration: .init(name: "replicaset", workers: configuration.workers), informer: replicaSets, key: ObjectKey.of,
            reconciler: sync, logger: context.logger(for: "replicaset"))
        podEvents = PodEventHandler(replicaSets: replicaSets.lister, expectations: expectations, queue: controller.queue)
    }

    /// Reconciles ReplicaSets until cancelled.
    public func run() async {
        let podEvents = self.podEvents
        let registration = pods.addHandler { event in await podEvents.handle(event) }
        defer { pods.removeHandler(registration) }
        await controller.run()
    }
}

/// Turns pod changes into ReplicaSet keys and observed expectations.
struct PodEventHandler: Sendable {
    let replicaSets: Lister
    let expectations: ControllerExpectations
    let queue: DelayingWorkQueue<String, ContinuousClock>

    func handle(_ event: InformerEvent<JSONValue>) async {
        switch event {
        case .added(let pod, _):
            if let owner = controller(of: pod) {
                expectations.creationObserved(owner)
                queue.add(owner)
            } else {
                matchingReplicaSets(pod).forEach(queue.add)
            }
        case .updated(let old, let new):
            guard old.resourceVersion != new.resourceVersion else { return }
            let oldOwner = controller(of: old)
            let newOwner = controller(of: new)
            if let oldOwner, oldOwner != newOwner { queue.add(oldOwner) }
            if let newOwner {
                queue.add(newOwner)
            } else if old.labels != new.labels || oldOwner != nil {
                matchingReplicaSets(new).forEach(queue.add)
            }
        case .deleted(let deleted):
            guard let owner = controller(of: deleted.object) else { return }
            expectations.deletionObserved(owner)
            queue.add(owner)
        }
    }

    private var owners: OwnerResolver { OwnerResolver(owners: replicaSets, kind: "ReplicaSet") }

    /// The key of the ReplicaSet controlling `pod`, if it exists.
    private func controller(of pod: JSONValue) -> String? { owners.controllerKey(of: pod) }

    /// The ReplicaSets that could adopt the orphan `pod`.
    private func matchingReplicaSets(_ pod: JSONValue) -> [String] { owners.selectingKeys(of: pod) }
}
