import Foundation
import SkiffAPI
import SkiffClient
import SkiffModels

/// The binding cycle and failure reporting, run concurrently with the scheduling loop.
extension Scheduler {
    /// Binds an assumed pod through `pods/binding`; on failure forgets it and requeues it.
    /// Returns whether the pod was bound.
    @discardableResult
    func bind(_ entry: QueuedPodInfo, to node: String) async -> Bool {
        let pod = entry.pod
        let binding = CoreV1.Binding(
            metadata: ObjectMeta(name: pod.name, namespace: pod.namespace, uid: pod.uid),
            target: CoreV1.ObjectReference(apiVersion: "v1", kind: "Node", name: node))
        do {
            try await preBindVolumes(of: pod, on: node)
            let request = APIRequest(.POST, CoreV1.Pod.groupVersionResource)
                .namespace(pod.namespace).name(pod.name).subresource("binding").body(Array(try JSONEncoder().encode(binding)))
            _ = try await client.rest.send(request)
        } catch {
            logger.notice("binding failed", metadata: ["pod": "\(pod.key)", "node": "\(node)", "error": "\(error)"])
            cache.forget(key: pod.key)
            queue.moveAll()
            if let current = pods.indexer.get(key: pod.key).map(PodInfo.init), current.uid == pod.uid,
               current.nodeName.isEmpty, !current.isBeingDeleted {
                var retry = entry
                retry.pod = current
                queue.retryAfterBindingFailure(retry)
            }
            await events.record(reference(to: pod), type: .warning, reason: "FailedScheduling", message: "Binding rejected: \(error)")
            return false
        }
        await events.record(reference(to: pod), reason: "Scheduled", message: "Successfully assigned \(pod.key) to \(node)")
        return true
    }

    /// Records why a pod does not fit: a `FailedScheduling` event and the `PodScheduled=False`
    /// condition with reason `Unschedulable`, with `status.nominatedNodeName` set to
    /// `nominatedNode` when preemption decided one ("" clears it); the status is written only when
    /// it changes.
    func reportFailure(of pod: PodInfo, _ failure: SchedulingAlgorithm.Failure, nominatedNode: String? = nil) async {
        let message = failure.message
        logger.debug("unschedulable", metadata: ["pod": "\(pod.key)", "reason": "\(message)"])
        await events.record(reference(to: pod), type: .warning, reason: "FailedScheduling", message: message)
        guard let current = pods.indexer.get(key: pod.key), current.metadata?.uid == pod.uid, (current.spec?.nodeName ?? "").isEmpty
        else { return }
        let existing = current.status?.conditions?.first { $0.type == "PodScheduled" }
        let nominationChanges = nominatedNode.map { $0 != current.status?.nominatedNodeName ?? "" } ?? false
        if existing?.status == "False", existing?.reason == "Unschedulable", existing?.message == message, !nominationChanges { return }
        let transition: JSONValue = existing?.status == "False"
            ? (existing?.lastTransitionTime.map { .string($0.rfc3339) } ?? .null) : .string(clock.now.rfc3339)
        let condition: JSONValue = [
            "type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": .string(message),
            "lastProbeTime": .null, "lastTransitionTime": transition,
        ]
        var status: JSONValue = ["conditions": [condition]]
        if nominationChanges, let nominatedNode { status["nominatedNodeName"] = nominatedNode.isEmpty ? .null : .string(nominatedNode) }
        await patchStatus(of: pod, status, purpose: "update the PodScheduled condition")
    }

    func reference(to pod: PodInfo) -> ObjectReference {
        ObjectReference(apiVersion: "v1", kind: "Pod", namespace: pod.namespace, name: pod.name, uid: pod.uid)
    }
}
