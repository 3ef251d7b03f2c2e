import Logging
import SkiffAPI
import SkiffClient
import SkiffComponentHelpers
import SkiffModels
import Synchronization

/// Evicts pods from nodes with NoExecute taints they do not tolerate (upstream's taint
/// eviction controller): a pod without a matching toleration is deleted at once; a pod whose
/// tolerations all have `tolerationSeconds` is deleted once the shortest has passed since its
/// eviction was scheduled; untainting the node or tolerating forever cancels the eviction.
/// Before deleting, the pod gets the `DisruptionTarget` condition.
public struct TaintEvictionController: Sendable {
    static let component = "taint-eviction-controller"

    private let controller: Controller<CoreV1.Pod>

    public init(context: ControllerContext, workers: Int = 8) {
        let pods = context.informers.informer(for: CoreV1.Pod.self)
        let nodes = context.informers.informer(for: CoreV1.Node.self)
        let sync = TaintEvictionSync(
            pods: pods.lister, nodes: nodes.lister, client: context.client.core.v1.pods(),
            recorder: context.eventRecorder(component: Self.component), clock: context.clock)
        controller = Controller(
            configuration: .init(name: "taint-eviction-controller", workers: workers), informer: pods, key: \.cacheKey,
            reconciler: sync, clock: context.clock, logger: context.logger(for: "taint-eviction-controller"))
        let podLister = pods.lister
        controller.watch(nodes) { node in
            guard !(node.spec?.taints ?? []).isEmpty else { return [] }
            return podLister.list().filter { $0.spec?.nodeName == node.name }.map(\.cacheKey)
        }
    }

    /// Evicts pods until cancelled.
    public func run() async {
        await controller.run()
    }
}

/// Decides one pod's fate on its node.
final class TaintEvictionSync: Reconciler {
    let pods: TypedLister<CoreV1.Pod>
    let nodes: TypedLister<CoreV1.Node>
    let client: ResourceClient<CoreV1.Pod>
    let recorder: EventRecorder
    let clock: any TimestampClock
    /// When each pending eviction was scheduled, by pod key.
    private let scheduled = Mutex<[String: Timestamp]>([:])

    init(pods: TypedLister<CoreV1.Pod>, nodes: TypedLister<CoreV1.Node>, client: ResourceClient<CoreV1.Pod>, recorder: EventRecorder, clock: any TimestampClock) {
        self.pods = pods
        self.nodes = nodes
        self.client = client
        self.recorder = recorder
        self.clock = clock
    }

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        guard let pod = pods.get(key: key), pod.metadata?.deletionTimestamp == nil,
            let nodeName = pod.spec?.nodeName, let node = nodes.get(nodeName)
        else {
            scheduled.withLock { $0[key] = nil }
            return .done
        }
        let verdict = TaintToleration.verdict(tolerations: pod.spec?.tolerations ?? [], taints: node.spec?.taints ?? [])
        switch verdict {
        case .stay:
            if scheduled.withLock({ $0.removeValue(forKey: key) }) != nil {
                await recorder.record(ObjectReference(pod), reason: "TaintManagerEviction", message: "Cancelling deletion of Pod \(key)")
            }
            return .done
        case .stayFor(let seconds):
            let now = clock.now
            let since = scheduled.withLock { scheduled in
                let since = scheduled[key] ?? now
                scheduled[key] = since
                return since
            }
            let due = since.advanced(by: .seconds(seconds))
            if now < due { return .requeueAfter(now.duration(to: due)) }
        case .evict:
            break
        }
        try await evict(pod, key: key, logger: logger)
        return .done
    }

    private func evict(_ pod: CoreV1.Pod, key: String, logger: Logger) async throws {
        await recorder.record(ObjectReference(pod), reason: "TaintManagerEviction", message: "Marking for deletion Pod \(key)")
        let pods = client.namespace(pod.namespace)
        do {
            let updated = pod.withDisruptionTarget(
                reason: "DeletionByTaintManager", message: "Taint manager: deleting due to NoExecute taint", now: clock.now)
            _ = try await pods.updateStatus(updated)
            try await pods.delete(pod.name, options: DeleteOptions(preconditions: .init(uid: pod.metadata?.uid)))
        } catch let error as APIError where error.isNotFound {}
        scheduled.withLock { $0[key] = nil }
        logger.info("evicted pod from tainted node", metadata: ["pod": "\(key)"])
    }
}
