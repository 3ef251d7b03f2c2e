import Logging
import SkiffAPI
import SkiffClient
import SkiffModels
import Synchronization

/// Annotates every Node with `node.alpha.kubernetes.io/ttl`, the seconds its kubelet may cache
/// the objects its pods use, from the cluster's size (upstream's ttl controller; the buckets are
/// `TTLBoundaries`). A node added or removed queues every node, since the size changed; a node
/// whose annotation differs is patched (a merge patch of that one annotation).
public struct TTLController: Sendable {
    static let annotation = "node.alpha.kubernetes.io/ttl"

    private let controller: Controller<CoreV1.Node>
    private let nodes: SharedInformer<CoreV1.Node>

    public init(context: ControllerContext, workers: Int = 5) {
        nodes = context.informers.informer(for: CoreV1.Node.self)
        controller = Controller(
            configuration: .init(name: "ttl", workers: workers), informer: nodes, key: \.cacheKey,
            reconciler: Sync(nodes: nodes.lister, client: context.client.core.v1.nodes()),
            clock: context.clock, logger: context.logger(for: "ttl"))
    }

    /// Keeps the annotations until cancelled.
    public func run() async {
        let queue = controller.queue
        let lister = nodes.lister
        let registration = nodes.addHandler { event in
            switch event {
            case .added, .deleted: lister.list().map(\.cacheKey).forEach(queue.add)
            case .updated: break
            }
        }
        defer { nodes.removeHandler(registration) }
        await controller.run()
    }

    private final class Sync: Reconciler {
        let nodes: TypedLister<CoreV1.Node>
        let client: ResourceClient<CoreV1.Node>
        private let boundaries = Mutex(TTLBoundaries())

        init(nodes: TypedLister<CoreV1.Node>, client: ResourceClient<CoreV1.Node>) {
            self.nodes = nodes
            self.client = client
        }

        func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
            guard let node = nodes.get(key) else { return .done }
            let count = nodes.count
            let wanted = String(boundaries.withLock { boundaries in
                boundaries.update(nodeCount: count)
                return boundaries.ttlSeconds
            })
            guard node.metadata?.annotations?[TTLController.annotation] != wanted else { return .done }
            do {
                _ = try await client.patch(node.name, type: .merge, patch: ["metadata": ["annotations": [TTLController.annotation: .string(wanted)]]])
                logger.debug("changed the ttl annotation", metadata: ["ttl": "\(wanted)"])
            } catch let error as APIError where error.isNotFound {
                return .done
            }
            return .done
        }
    }
}
