import SkiffAPI
import SkiffClient

/// The binding cycle and failure reporting, run concurrently with the scheduling loop.
extension Scheduler {
    /// Binds an assumed pod through `pods/binding`; on failure forgets it and requeues it.
    func bind(_ entry: QueuedPodInfo<ContinuousClock.Instant>, to node: String) async {
        let pod = entry.pod
        let binding: JSONValue = [
            "apiVersion": "v1", "kind": "Binding",
            "metadata": ["name": .string(pod.name), "namespace": .string(pod.namespace), "uid": .string(pod.uid)],
            "target": ["apiVersion": "v1", "kind": "Node", "name": .string(node)],
        ]
        let request = APIRequest(.POST, GroupVersionResource(group: "", version: "v1", resource: "pods"))
            .namespace(pod.namespace).name(pod.name).subresource("binding").body(binding)
        do {
            _ = try await client.dynamic.rest.send(request)
        } catch {
            logger.notice("binding failed", metadata: ["pod": "\(pod.key)", "node": "\(node)", "error": "\(error)"])
            cache.forget(key: pod.key)
            queue.moveAll()
            if let current = pods.indexer.get(key: pod.key).map(PodInfo.init(json:)), current.uid == pod.uid,
               current.nodeName.isEmpty, !current.isBeingDeleted {
                var retry = entry
                retry.pod = current
                queue.retryAfterBindingFailure(retry)
            }
            await events.record(reference(to: pod), type: .warning, reason: "FailedScheduling", message: "Binding rejected: \(error)")
            return
        }
        await events.record(reference(to: pod), reason: "Scheduled", message: "Successfully assigned \(pod.key) to \(node)")
    }

    /// Records why a pod does not fit: a `FailedScheduling` event and the `PodScheduled=False`
    /// condition with reason `Unschedulable` (written only when it changes).
    func reportFailure(of pod: PodInfo, _ failure: SchedulingAlgorithm.Failure) async {
        let message = failure.message
        logger.debug("unschedulable", metadata: ["pod": "\(pod.key)", "reason": "\(message)"])
        await events.record(reference(to: pod), type: .warning, reason: "FailedScheduling", message: message)
        let current = pods.indexer.get(key: pod.key)
        guard let current, current.uid == pod.uid, (current[path: "spec", "nodeName"]?.stringValue ?? "").isEmpty else { return }
        let existing = current[path: "status", "conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "PodScheduled" }
        if existing?["status"]?.stringValue == "False", existing?["reason"]?.stringValue == "Unschedulable",
           existing?["message"]?.stringValue == message {
            return
        }
        let transition = existing?["status"]?.stringValue == "False"
            ? (existing?["lastTransitionTime"] ?? .null) : .string(Timestamp.now().rfc3339)
        let condition: JSONValue = [
            "type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": .string(message),
            "lastProbeTime": .null, "lastTransitionTime": transition,
        ]
        do {
            _ = try await client.dynamic.resource(GroupVersionResource(group: "", version: "v1", resource: "pods")).namespace(pod.namespace)
                .patch(pod.name, type: .strategicMerge, patch: ["status": ["conditions": [condition]]], subresource: "status")
        } catch {
            logger.notice("cannot update the PodScheduled condition", metadata: ["pod": "\(pod.key)", "error": "\(error)"])
        }
    }

    private func reference(to pod: PodInfo) -> ObjectReference {
        ObjectReference(apiVersion: "v1", kind: "Pod", namespace: pod.namespace, name: pod.name, uid: pod.uid)
    }
}
