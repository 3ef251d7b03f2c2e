import SkiffAPI
import SkiffClient
import SkiffModels

/// Carrying out a preemption (upstream's `prepareCandidate`), before the preemptor's failure is
/// reported with its nominated node.
extension Scheduler {
    /// Marks each victim with the `DisruptionTarget` condition, deletes it and records a
    /// `Preempted` event on it; then clears the nominations of lower-priority pods nominated to
    /// the same node, which may no longer fit there.
    func carryOut(_ preempted: DefaultPreemption.Result, for preemptor: PodInfo) async {
        guard let node = preempted.nominatedNode, !node.isEmpty else { return }
        await withDiscardingTaskGroup { group in
            for victim in preempted.victims {
                group.addTask { await evict(victim, for: preemptor, node: node) }
            }
        }
        for displaced in preempted.displacedNominations {
            guard let current = pods.indexer.get(key: displaced.key), !(current.status?.nominatedNodeName ?? "").isEmpty else { continue }
            await patchStatus(of: displaced, ["nominatedNodeName": .null], purpose: "clear the nominated node")
        }
        metrics.preemption(victims: preempted.victims.count)
    }

    private func evict(_ victim: PodInfo, for preemptor: PodInfo, node: String) async {
        let message = "\(preemptor.schedulerName.isEmpty ? Self.name : preemptor.schedulerName): preempting to accommodate a higher priority pod"
        let existing = pods.indexer.get(key: victim.key)?.status?.conditions?.first { $0.type == "DisruptionTarget" }
        if existing?.status != "True" || existing?.reason != "PreemptionByScheduler" || existing?.message != message {
            let condition: JSONValue = [
                "type": "DisruptionTarget", "status": "True", "reason": "PreemptionByScheduler", "message": .string(message),
                "lastProbeTime": .null, "lastTransitionTime": .string(clock.now.rfc3339),
            ]
            guard await patchStatus(of: victim, ["conditions": [condition]], purpose: "add the DisruptionTarget condition") else { return }
        }
        do {
            try await client.resource(CoreV1.Pod.self, namespace: victim.namespace).delete(victim.name)
        } catch let error as APIError where error.isNotFound {
            // Gone already: the room is free all the same.
        } catch {
            logger.notice("cannot delete a preemption victim", metadata: ["pod": "\(victim.key)", "error": "\(error)"])
            return
        }
        logger.info("preempted a pod", metadata: ["preemptor": "\(preemptor.key)", "victim": "\(victim.key)", "node": "\(node)"])
        await events.record(reference(to: victim), reason: "Preempted", message: "Preempted by pod \(preemptor.uid) on node \(node)")
    }

    /// Patches the pod's status (strategic merge); returns whether it worked.
    @discardableResult
    func patchStatus(of pod: PodInfo, _ status: JSONValue, purpose: String) async -> Bool {
        do {
            _ = try await client.resource(CoreV1.Pod.self, namespace: pod.namespace)
                .patch(pod.name, type: .strategicMerge, patch: ["status": status], subresource: "status")
            return true
        } catch {
            logger.notice("cannot \(purpose)", metadata: ["pod": "\(pod.key)", "error": "\(error)"])
            return false
        }
    }
}
