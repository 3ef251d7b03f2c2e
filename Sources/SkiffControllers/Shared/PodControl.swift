import SkiffAPI
import SkiffClient
import SkiffModels

/// Creates and deletes an owner's pods, recording upstream's events on the owner
/// (`SuccessfulCreate` `Created pod: web-abcde`, `SuccessfulDelete` `Deleted pod: web-abcde`,
/// `FailedCreate`, `FailedDelete`) and settling the owner's expectations for what will not
/// be observed (upstream's `RealPodControl`). The caller sets the expectations first.
struct PodControl: Sendable {
    let client: KubernetesClient
    let recorder: EventRecorder
    let expectations: ControllerExpectations

    /// Creates `pods` in slow-start batches (`SlowStartCreation`); the creations that failed or
    /// were skipped after a failure are settled in the expectations.
    func create(_ pods: [CoreV1.Pod], namespace: String, owner: ObjectReference, key: String) async throws {
        let result = await SlowStartCreation.create(pods, in: client.core.v1.pods(namespace), owner: owner, recorder: recorder)
        if let failure = result.error {
            // Neither the failed creations nor the skipped ones will be observed.
            for _ in 0..<(pods.count - result.created) { expectations.creationObserved(key) }
            throw failure
        }
    }

    /// Deletes `victims` (each guarded by its UID); a victim already gone is no failure.
    func delete(_ victims: [CoreV1.Pod], namespace: String, owner: ObjectReference, key: String) async throws {
        let client = self.client.core.v1.pods(namespace)
        let failures = await withTaskGroup(of: (any Error)?.self) { group in
            for victim in victims {
                group.addTask {
                    let name = victim.name
                    do {
                        try await client.delete(name, options: DeleteOptions(preconditions: .init(uid: victim.metadata?.uid)))
                        await recorder.record(owner, reason: "SuccessfulDelete", message: "Deleted pod: \(name)")
                        return nil
                    } catch {
                        // The deletion will not be observed (or was, before it failed as missing).
                        expectations.deletionObserved(key)
                        if let error = error as? APIError, error.isNotFound { return nil }
                        await recorder.record(owner, type: .warning, reason: "FailedDelete", message: "Error deleting: \(error)")
                        return error
                    }
                }
            }
            return await group.reduce(into: [any Error]()) { if let error = $1 { $0.append(error) } }
        }
        if let failure = failures.first { throw failure }
    }

    /// A pod from `template` with the given `metadata` and the template's labels, annotations
    /// and finalizers (upstream's `GetPodFromTemplate`).
    static func pod(from template: CoreV1.PodTemplateSpec?, metadata: ObjectMeta) -> CoreV1.Pod {
        var metadata = metadata
        if let labels = template?.metadata?.labels { metadata.labels = labels }
        if let annotations = template?.metadata?.annotations { metadata.annotations = annotations }
        if let finalizers = template?.metadata?.finalizers { metadata.finalizers = finalizers }
        return CoreV1.Pod(metadata: metadata, spec: template?.spec)
    }
}
