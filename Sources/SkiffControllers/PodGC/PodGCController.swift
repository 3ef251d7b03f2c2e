import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient
import SkiffModels

/// Deletes the pods no kubelet will ever finish (upstream's pod garbage collector, `podgc`),
/// every `checkPeriod`:
/// - pods bound to a node that no longer exists, once the node has been missing for the
///   `quarantine` and a fresh read confirms it is gone: marked `Failed` with a
///   `DisruptionTarget` condition (`DeletionByPodGC`, "PodGC: node no longer exists"), then
///   deleted at once;
/// - unscheduled pods being deleted (nothing else would finish their graceful deletion);
/// - the oldest finished pods beyond `terminatedPodThreshold`.
/// Deletions carry the pod's UID as a precondition and a grace period of 0 (a force delete).
public struct PodGCController: Sendable {
    public struct Configuration: Sendable {
        /// How often pods are checked (upstream's `gcCheckPeriod`).
        public var checkPeriod: Duration = .seconds(20)
        /// How long a node must be missing before its pods go (upstream's `quarantineTime`).
        public var quarantine: Duration = .seconds(40)
        /// Finished pods kept before the oldest are deleted (`--terminated-pod-gc-threshold`).
        public var terminatedPodThreshold = 12_500

        public init() {}
    }

    private let configuration: Configuration
    private let pods: SharedInformer<CoreV1.Pod>
    private let nodes: SharedInformer<CoreV1.Node>
    private let client: KubernetesClient
    private let logger: Logger
    private let clock: any TimestampClock

    public init(context: ControllerContext, configuration: Configuration = Configuration()) {
        self.configuration = configuration
        pods = context.informers.informer(for: CoreV1.Pod.self)
        nodes = context.informers.informer(for: CoreV1.Node.self)
        client = context.client
        logger = context.logger(for: "podgc")
        clock = context.clock
    }

    /// Collects pods until graceful shutdown or cancellation (a periodic sweep has nothing to drain).
    public func run() async {
        await cancelWhenGracefulShutdown {
            guard await pods.waitForCacheSync(), await nodes.waitForCacheSync() else { return }
            var missingSince: [String: Timestamp] = [:]
            while !Task.isCancelled {
                await collect(&missingSince)
                do {
                    try await clock.sleep(for: configuration.checkPeriod)
                } catch {
                    return
                }
            }
        }
    }

    /// One pass; `missingSince` remembers since when each missing node has been missing.
    func collect(_ missingSince: inout [String: Timestamp]) async {
        let all = pods.lister.list()
        await collectTerminated(all)
        let existing = Set(nodes.lister.list().map(\.name))
        missingSince = missingSince.filter { !existing.contains($0.key) }
        for pod in all {
            let node = pod.spec?.nodeName ?? ""
            if node.isEmpty {
                if pod.metadata?.deletionTimestamp != nil { await forceDelete(pod, reason: "unscheduled and terminating") }
                continue
            }
            guard !existing.contains(node) else { continue }
            let since = missingSince[node] ?? clock.now
            missingSince[node] = since
            guard since.duration(to: clock.now) >= configuration.quarantine, await nodeIsGone(node) else { continue }
            await markFailed(pod)
            await forceDelete(pod, reason: "orphaned: node \(node) no longer exists")
        }
    }

    /// Deletes the oldest finished pods beyond the threshold.
    private func collectTerminated(_ all: [CoreV1.Pod]) async {
        let finished = all.filter { $0.metadata?.deletionTimestamp == nil && $0.isFinished }
        let excess = finished.count - configuration.terminatedPodThreshold
        guard excess > 0 else { return }
        let oldest = finished.sorted {
            ($0.metadata?.creationTimestamp?.rfc3339 ?? "") < ($1.metadata?.creationTimestamp?.rfc3339 ?? "")
        }.prefix(excess)
        for pod in oldest { await forceDelete(pod, reason: "beyond the terminated pod threshold") }
    }

    /// Whether a fresh read says the node does not exist (a failed read says nothing).
    private func nodeIsGone(_ name: String) async -> Bool {
        do {
            _ = try await client.core.v1.nodes().get(name)
            return false
        } catch let error as APIError where error.isNotFound {
            return true
        } catch {
            return false
        }
    }

    /// Marks a pod that is not finished `Failed`, with upstream's `DisruptionTarget` condition.
    private func markFailed(_ pod: CoreV1.Pod) async {
        guard !pod.isFinished else { return }
        var updated = pod.withDisruptionTarget(reason: "DeletionByPodGC", message: "PodGC: node no longer exists", now: clock.now)
        updated.status?.phase = "Failed"
        do {
            _ = try await client.core.v1.pods(pod.namespace).updateStatus(updated)
        } catch {
            logger.debug("could not mark the pod failed", metadata: ["pod": "\(pod.cacheKey)", "error": "\(error)"])
        }
    }

    private func forceDelete(_ pod: CoreV1.Pod, reason: String) async {
        do {
            try await client.core.v1.pods(pod.namespace).delete(
                pod.name, options: DeleteOptions(preconditions: .init(uid: pod.metadata?.uid), gracePeriodSeconds: 0))
            logger.info("deleted pod", metadata: ["pod": "\(pod.cacheKey)", "reason": "\(reason)"])
        } catch let error as APIError where error.isNotFound || error.isConflict {
            return
        } catch {
            logger.warning("could not delete pod", metadata: ["pod": "\(pod.cacheKey)", "error": "\(error)"])
        }
    }
}
