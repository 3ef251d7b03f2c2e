import SkiffAPI
import SkiffClient
import SkiffModels

/// Creates a controller's pods in batches of 1, 2, 4… (upstream's `slowStartBatch`), stopping
/// after the first batch with a failure so that a failing create is not repeated hundreds of
/// times; records `SuccessfulCreate` (`Created pod: <name>`) or `FailedCreate` on the owner.
enum SlowStartCreation {
    /// How many of `pods` were created, and the first failure.
    static func create(
        _ pods: [CoreV1.Pod], in client: ResourceClient<CoreV1.Pod>, owner: ObjectReference, recorder: EventRecorder
    ) async -> (created: Int, error: (any Error)?) {
        var remaining = pods[...]
        var batch = 1
        var created = 0
        while !remaining.isEmpty {
            let slice = remaining.prefix(batch)
            remaining = remaining.dropFirst(slice.count)
            let failures = await withTaskGroup(of: (any Error)?.self) { group in
                for pod in slice {
                    group.addTask {
                        do {
                            let created = try await client.create(pod)
                            await recorder.record(owner, reason: "SuccessfulCreate", message: "Created pod: \(created.name)")
                            return nil
                        } catch {
                            await recorder.record(owner, type: .warning, reason: "FailedCreate", message: "Error creating: \(error)")
                            return error
                        }
                    }
                }
                return await group.reduce(into: [any Error]()) { if let error = $1 { $0.append(error) } }
            }
            created += slice.count - failures.count
            if let failure = failures.first { return (created, failure) }
            batch *= 2
        }
        return (created, nil)
    }
}
