import Logging
import SkiffAPI
import SkiffClient
import Synchronization
import SkiffModels

/// The pod workers of a `KubeletHost`: reconciles one pod (by key) on its node. A running pod
/// is advanced by its `PodLifecycle` and its status written through `pods/status` only when it
/// changed; a deleted pod (deletionTimestamp) has its containers stopped, taking at most its
/// grace period, gets its terminal status, and is then deleted with grace 0 and its UID as
/// precondition, as the kubelet does. Pods of nodes this host does not run, or whose Node is gone, are left alone.
/// Mirror pods are `MirrorPods`' (nothing runs them here).
final class PodSync: Reconciler {
    let host: KubeletHost
    private let records = Mutex([String: PodRecord]())

    init(host: KubeletHost) {
        self.host = host
    }

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        let pod = host.podInformer.indexer.get(key: key)
        if let result = try await host.mirrorPods.reconcile(key, pod: pod, host: host, logger: logger) { return result }
        let known = records.withLock { $0[key] }
        if let known, pod?.metadata?.uid != known.uid {
            // The pod is gone (or replaced by another of the same name): free what it held.
            try await release(key, known)
        }
        guard let pod, let uid = pod.metadata?.uid, let nodeName = pod.spec?.nodeName,
            let node = host.nodes[nodeName], var lifecycle = node.lifecycle
        else { return .done }
        lifecycle.logger = logger
        let now = host.clock.now
        var record: PodRecord
        if let current = records.withLock({ $0[key] }) {
            record = current
        } else {
            record = await lifecycle.record(for: pod, uid: uid, nodeName: nodeName)
            if (pod.status?.phase ?? "Pending") == "Pending" { record.awaitingStartSince = now }
            await admit(pod, uid: uid, on: node, record: &record, now: now, logger: logger)
        }
        defer {
            // A finished pod no longer holds its share of the node.
            if record.terminalStatus != nil { node.admitted.withLock { $0.release(uid: uid) } }
            let running = records.withLock { records in
                records[key] = record
                return records.values.count { $0.sandboxID != nil && $0.terminalStatus == nil }
            }
            KubeletMetrics.runningPods(running)
        }

        if pod.metadata?.deletionTimestamp != nil {
            node.eviction?.forget(uid: uid)
            return try await terminate(pod, key: key, record: &record, lifecycle: lifecycle, now: now, logger: logger)
        }
        if let manager = node.eviction, let message = manager.order(for: uid) {
            defer { manager.forget(uid: uid) }
            if record.terminalStatus == nil {
                try await evict(pod, record: &record, lifecycle: lifecycle, message: message, node: node, now: now, logger: logger)
                return .done
            }
        }
        let phase = pod.status?.phase
        if record.terminalStatus == nil, phase == "Succeeded" || phase == "Failed" {
            // Finished before this kubelet saw it: nothing runs again.
            try await lifecycle.tearDown(&record)
            record.terminalStatus = pod.status
            return .done
        }
        let outcome = try await lifecycle.sync(pod, record: &record, now: now)
        if let since = record.awaitingStartSince, outcome.status.phase == "Running" {
            KubeletMetrics.podStarted(after: now.duration(since: since))
            record.awaitingStartSince = nil
        }
        if outcome.status != pod.status {
            var updated = pod
            updated.status = outcome.status
            _ = try await host.client.core.v1.pods(pod.namespace).updateStatus(updated)
        }
        guard let wakeAt = outcome.wakeAt else { return .done }
        return .requeueAfter(max(wakeAt.duration(since: now), .milliseconds(1)))
    }

    /// Stops the pod's containers (taking the time its annotation asks for, at most its grace
    /// period), frees its sandbox and IP, writes its terminal status (containers terminated,
    /// `Ready=False`, a terminal phase) and deletes it for good, as upstream's kubelet does.
    private func terminate(
        _ pod: CoreV1.Pod, key: String, record: inout PodRecord, lifecycle: PodLifecycle, now: Timestamp, logger: Logger
    ) async throws -> ReconcileResult {
        let since = record.stoppingSince ?? now
        record.stoppingSince = since
        let stopMilliseconds = Int64(SimulationAnnotations.stopDuration(of: pod) * 1000)
        let stoppedAt = since.adding(milliseconds: stopMilliseconds)
        if now < stoppedAt { return .requeueAfter(stoppedAt.duration(since: now)) }
        let gracePeriod = Duration.seconds(pod.metadata?.deletionGracePeriodSeconds ?? 0)
        let final = try await lifecycle.terminate(pod, record: &record, gracePeriod: gracePeriod, now: now)
        let pods = host.client.core.v1.pods(pod.namespace)
        do {
            if final != pod.status {
                var updated = pod
                updated.status = final
                _ = try await pods.updateStatus(updated)
            }
            try await pods.delete(pod.name, options: DeleteOptions(preconditions: .init(uid: record.uid), gracePeriodSeconds: 0))
        } catch let error as APIError where error.isNotFound || error.isConflict {
            // Already gone, or another pod by that name now (or changed since: the next sync retries).
            if error.isConflict, host.podInformer.indexer.get(key: key)?.metadata?.uid == record.uid { throw error }
        }
        logger.debug("pod deleted")
        return .done
    }

    /// Admits a pod this kubelet sees for the first time against what its node's admitted pods
    /// hold (and, first, against the node's pressure), as upstream's kubelet does before it runs a
    /// pod. A rejected pod is never run: it gets a `Failed` status (`OutOfcpu`, `NodeAffinity`,
    /// `Evicted`, ...) and a Warning event with the reason.
    /// A pod that already started (the kubelet restarted) is counted without a check, and pods
    /// being deleted or already finished are not admitted at all.
    private func admit(
        _ pod: CoreV1.Pod, uid: String, on node: SimulatedNode, record: inout PodRecord, now: Timestamp, logger: Logger
    ) async {
        let phase = pod.status?.phase
        guard pod.metadata?.deletionTimestamp == nil, phase != "Succeeded", phase != "Failed" else { return }
        if pod.status?.startTime != nil || record.sandboxID != nil {
            node.admitted.withLock { $0.occupy(pod, uid: uid) }
            return
        }
        let nodeObject = host.nodeInformer.indexer.get(key: node.name)
        guard let rejection = node.eviction?.admit(pod) ?? node.admitted.withLock({ $0.admit(pod, uid: uid, node: nodeObject) }) else { return }
        logger.info("pod rejected", metadata: ["reason": "\(rejection.reason)", "message": "\(rejection.message)"])
        record.terminalStatus = rejection.status(of: pod, at: now)
        record.awaitingStartSince = nil
        await node.events?.record(ObjectReference(pod), type: .warning, reason: rejection.reason, message: rejection.message)
    }

    /// Carries out an eviction the node's eviction manager ordered (upstream's `evictPod`): a
    /// Warning `Evicted` event, the containers stopped with a grace period of 1 s, and the pod
    /// left `Failed` with reason `Evicted`, the eviction's message and a `DisruptionTarget`
    /// condition (`TerminationByKubelet`). The pod object stays, as upstream's.
    private func evict(
        _ pod: CoreV1.Pod, record: inout PodRecord, lifecycle: PodLifecycle, message: String, node: SimulatedNode, now: Timestamp, logger: Logger
    ) async throws {
        logger.info("pod evicted", metadata: ["message": "\(message)"])
        await node.events?.record(ObjectReference(pod), type: .warning, reason: EvictionManager.reason, message: message)
        var status = try await lifecycle.terminate(pod, record: &record, gracePeriod: .seconds(1), now: now)
        status.phase = "Failed"
        status.reason = EvictionManager.reason
        status.message = message
        let disruption = CoreV1.PodCondition(
            lastTransitionTime: now.wholeSeconds, message: message, reason: "TerminationByKubelet", status: "True", type: "DisruptionTarget")
        status.conditions = (status.conditions ?? []).filter { $0.type != disruption.type } + [disruption]
        record.terminalStatus = status
        var updated = pod
        updated.status = status
        _ = try await host.client.core.v1.pods(pod.namespace).updateStatus(updated)
    }

    /// Frees what a pod that no longer exists held (nothing to free if its node is gone).
    private func release(_ key: String, _ record: PodRecord) async throws {
        host.nodes[record.nodeName]?.admitted.withLock { $0.release(uid: record.uid) }
        var record = record
        if let lifecycle = host.nodes[record.nodeName]?.lifecycle { try await lifecycle.tearDown(&record) }
        records.withLock { $0[key] = nil }
    }
}
