import Foundation
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

    private let controller: Controller<JSONValue>

    public init(context: ControllerContext, workers: Int = 8) {
        let pods = context.informers.informer(for: .pods)
        let nodes = context.informers.informer(for: .nodes)
        let sync = TaintEvictionSync(
            pods: pods.lister, nodes: nodes.lister, client: context.client.dynamic.resource(.pods),
            recorder: context.eventRecorder(component: Self.component), clock: context.clock)
        controller = Controller(
            configuration: .init(name: "taint-eviction-controller", workers: workers), informer: pods, key: ObjectKey.of,
            reconciler: sync, clock: context.clock, logger: context.logger(for: "taint-eviction-controller"))
        let podLister = pods.lister
        controller.watch(nodes) { node in
            guard let name = node.name, !(node[path: "spec", "taints"]?.arrayValue ?? []).isEmpty else { return [] }
            return podLister.list().filter { $0[path: "spec", "nodeName"]?.stringValue == name }.map(ObjectKey.of)
        }
    }

    /// Evicts pods until cancelled.
    public func run() async {
        await controller.run()
    }
}

/// Decides one pod's fate on its node.
final class TaintEvictionSync: Reconciler {
    let pods: Lister
    let nodes: Lister
    let client: ResourceClient<JSONValue>
    let recorder: EventRecorder
    let clock: any TimestampClock
    /// When each pending eviction was scheduled, by pod key.
    private let scheduled = Mutex<[String: Timestamp]>([:])

    init(pods: Lister, nodes: Lister, client: ResourceClient<JSONValue>, recorder: EventRecorder, clock: any TimestampClock) {
        self.pods = pods
        self.nodes = nodes
        self.client = client
        self.recorder = recorder
        self.clock = clock
    }

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        guard let pod = pods.get(key), pod.deletionTimestamp == nil,
            let nodeName = pod[path: "spec", "nodeName"]?.stringValue, let node = nodes.get(nodeName)
        else {
            scheduled.withLock { $0[key] = nil }
            return .done
        }
        let verdict = TaintToleration.verdict(
            tolerations: Self.typed(pod[path: "spec", "tolerations"]) ?? [], taints: Self.typed(node[path: "spec", "taints"]) ?? [])
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

    /// `value` as a typed model, nil when absent or malformed (until this controller reads typed objects).
    private static func typed<Value: Decodable>(_ value: JSONValue?) -> Value? {
        guard let value, value != .null else { return nil }
        return try? JSONDecoder().decode(Value.self, from: Data(value.serialized()))
    }

    private func evict(_ pod: JSONValue, key: String, logger: Logger) async throws {
        await recorder.record(ObjectReference(pod), reason: "TaintManagerEviction", message: "Marking for deletion Pod \(key)")
        let pods = client.namespace(pod.namespace ?? "")
        let name = pod.name ?? ""
        do {
            var conditions = (pod[path: "status", "conditions"]?.arrayValue ?? []).filter { $0["type"]?.stringValue != "DisruptionTarget" }
            conditions.append([
                "type": "DisruptionTarget", "status": "True", "reason": "DeletionByTaintManager",
                "message": "Taint manager: deleting due to NoExecute taint", "lastTransitionTime": .string(clock.now.rfc3339),
            ])
            var updated = pod
            updated[path: "status", "conditions"] = .array(conditions)
            _ = try await pods.updateStatus(updated)
            try await pods.delete(name, options: DeleteOptions(preconditions: .init(uid: pod.uid)))
        } catch let error as APIError where error.isNotFound {}
        scheduled.withLock { $0[key] = nil }
        logger.info("evicted pod from tainted node", metadata: ["pod": "\(key)"])
    }
}
