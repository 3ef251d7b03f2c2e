import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// The mirror pods of a host's static pods, all on its first node, kept as upstream's kubelet
/// keeps them: a missing one is created, one being deleted or with another hash is deleted (grace
/// 0, UID precondition) and created again when its deletion arrives, the status is written when
/// it changed; a mirror pod on one of the host's nodes whose static pod this host does not run
/// (left by an earlier run) is deleted. Users cannot get rid of one: deleting it makes a new one.
struct MirrorPods: Sendable {
    private let byKey: [String: MirrorPod]

    /// The mirror pods of `staticPods` on `nodeName` (none without a node), taken in at `seen`.
    init(staticPods: [StaticPod], nodeName: String?, seen: Timestamp) {
        let mirrors = nodeName.map { node in staticPods.map { MirrorPod(staticPod: $0, nodeName: node, seen: seen) } } ?? []
        byKey = Dictionary(mirrors.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The pod keys of the mirror pods, to reconcile once the nodes are registered.
    var keys: [String] { byKey.keys.sorted() }

    /// Reconciles `key` if it names one of the host's mirror pods or `pod` is an orphaned mirror
    /// pod on one of its nodes; nil for any other pod (the pod workers run it).
    func reconcile(_ key: String, pod: CoreV1.Pod?, host: KubeletHost, logger: Logger) async throws -> ReconcileResult? {
        if let mirror = byKey[key], pod.map(MirrorPod.isMirror) ?? true {
            try await sync(mirror, pod: pod, host: host, logger: logger)
            return .done
        }
        guard let pod, MirrorPod.isMirror(pod), let nodeName = pod.spec?.nodeName, host.nodes[nodeName]?.registration != nil else { return nil }
        logger.info("deleting the mirror pod of a static pod this kubelet does not run")
        try await delete(pod, host: host)
        return .done
    }

    private func sync(_ mirror: MirrorPod, pod: CoreV1.Pod?, host: KubeletHost, logger: Logger) async throws {
        guard let node = host.nodes[mirror.nodeName], let registration = node.registration, node.lifecycle != nil,
            let nodeUID = host.nodeInformer.indexer.get(key: mirror.nodeName)?.metadata?.uid ?? registration.uid
        else { return }
        let pods = host.client.core.v1.pods(MirrorPod.namespace)
        guard let pod else {
            do {
                _ = try await pods.create(mirror.pod(nodeUID: nodeUID))
                logger.debug("mirror pod created")
            } catch let error as APIError where error.isAlreadyExists {
                // The informer has not delivered it yet: its event queues the key again.
            }
            return
        }
        guard mirror.isCurrent(pod) else {
            // Its deletion queues the key again, and the pod is created anew.
            try await delete(pod, host: host)
            return
        }
        let status = mirror.status(hostIP: registration.builder.internalIP, existing: pod.status, now: host.clock.now)
        if status != pod.status {
            var updated = pod
            updated.status = status
            _ = try await pods.updateStatus(updated)
        }
    }

    private func delete(_ pod: CoreV1.Pod, host: KubeletHost) async throws {
        do {
            try await host.client.core.v1.pods(pod.namespace).delete(
                pod.name, options: DeleteOptions(preconditions: .init(uid: pod.metadata?.uid), gracePeriodSeconds: 0))
        } catch let error as APIError where error.isNotFound || error.isConflict {
            // Gone already, or replaced: the informer's events decide what comes next.
        }
    }
}
