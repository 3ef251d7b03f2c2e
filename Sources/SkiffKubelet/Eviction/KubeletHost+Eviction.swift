import Foundation
import SkiffAPI
import SkiffClient
import SkiffModels

extension KubeletHost {
    /// Reads the node's eviction signals every `monitoringInterval` until cancelled (upstream's
    /// eviction manager loop): a change of the pressure conditions is reported at once, with a
    /// node event; while a threshold is met, one pod is chosen and its eviction ordered through
    /// the pod workers (`enqueue` queues its key), one per round, as upstream evicts at most one
    /// pod per round. A round with an order not yet carried out chooses none.
    func monitorEviction(_ node: SimulatedNode, manager: EvictionManager, enqueue: @escaping @Sendable (String) -> Void) async {
        while !Task.isCancelled {
            let before = manager.conditions
            let met = manager.synchronize(HostSignals.observe(dataDirectory: manager.dataDirectory), now: clock.now)
            let after = manager.conditions
            if after != before {
                await reportStatus(node, changedOnly: true)
                await recordPressureEvents(node, before: before, after: after)
            }
            if let (threshold, observed) = met.first, !manager.hasOrders {
                await orderEviction(on: node, manager: manager, threshold: threshold, observed: observed, enqueue: enqueue)
            }
            try? await clock.sleep(for: manager.configuration.monitoringInterval)
        }
    }

    /// Ranks the node's admitted, unfinished pods for the threshold's resource and orders the
    /// first that may be evicted (critical pods never are).
    private func orderEviction(
        on node: SimulatedNode, manager: EvictionManager, threshold: EvictionThreshold, observed: SignalObservation,
        enqueue: @Sendable (String) -> Void
    ) async {
        let resource = threshold.signal.resource
        var candidates: [EvictionCandidate] = []
        for pod in podInformer.indexer.byIndex(Self.nodeNameIndex, value: node.name) {
            guard let uid = pod.metadata?.uid, pod.metadata?.deletionTimestamp == nil, node.admitted.withLock({ $0.contains(uid: uid) }),
                !EvictionManager.isCritical(pod)
            else { continue }
            candidates.append(await measure(pod, uid: uid, on: node, resource: resource))
        }
        guard let chosen = EvictionRanking.rank(candidates, resource: resource).first, let uid = chosen.pod.metadata?.uid else {
            logger.warning("eviction manager: no pod to evict", metadata: ["node": "\(node.name)", "signal": "\(threshold.signal.rawValue)"])
            return
        }
        let message = EvictionRanking.message(for: chosen, threshold: threshold, observed: observed)
        logger.info("eviction manager: evicting pod", metadata: ["pod": "\(chosen.pod.cacheKey)", "signal": "\(threshold.signal.rawValue)"])
        manager.order(uid: uid, message: message)
        enqueue(chosen.pod.cacheKey)
    }

    /// What `pod` uses of `resource`: the working set of its running containers for memory,
    /// the bytes of its volumes and logs for ephemeral storage; nothing measured otherwise.
    private func measure(_ pod: CoreV1.Pod, uid: String, on node: SimulatedNode, resource: String) async -> EvictionCandidate {
        var candidate = EvictionCandidate(pod: pod)
        switch resource {
        case "memory":
            for status in pod.status?.containerStatuses ?? [] where status.state?.running != nil {
                guard let id = status.containerID.map(PodLifecycle.runtimeID),
                    let usage = await node.runtime.containerUsage(id)
                else { continue }
                candidate.containerUsage[status.name] = Int64(usage.memoryBytes)
            }
            candidate.usage = candidate.containerUsage.isEmpty ? nil : candidate.containerUsage.values.reduce(0, +)
        case "ephemeral-storage":
            guard let root = node.runtime.podsDirectory else { break }
            let logs = PodLogDirectory(root: root, podNamespace: pod.namespace, podName: pod.name, podUID: uid).path
            candidate.usage = DirectoryUsage.bytes("\(root)/\(uid)") + DirectoryUsage.bytes(logs)
        default:
            break
        }
        return candidate
    }

    /// The node events upstream's kubelet records when a pressure condition changes
    /// (`NodeHasInsufficientMemory`, `NodeHasSufficientMemory`, ...).
    private func recordPressureEvents(_ node: SimulatedNode, before: Set<NodePressure>, after: Set<NodePressure>) async {
        let reference = ObjectReference(apiVersion: "v1", kind: "Node", name: node.name, uid: node.name)
        for pressure in NodePressure.allCases where before.contains(pressure) != after.contains(pressure) {
            let reason = NodeStatusBuilder.pressureCondition(pressure, underPressure: after.contains(pressure)).event
            await node.events?.record(reference, reason: reason, message: "Node \(node.name) status is now: \(reason)")
        }
    }
}

/// The bytes the files below a directory take on disk (0 when it does not exist).
enum DirectoryUsage {
    static func bytes(_ path: String) -> Int64 {
        guard let files = FileManager.default.enumerator(at: URL(fileURLWithPath: path), includingPropertiesForKeys: [.totalFileAllocatedSizeKey])
        else { return 0 }
        var total: Int64 = 0
        for case let file as URL in files {
            total += Int64((try? file.resourceValues(forKeys: [.totalFileAllocatedSizeKey]).totalFileAllocatedSize) ?? 0)
        }
        return total
    }
}
