import SkiffAPI
import SkiffClient
import SkiffModels
import SkiffOperator

/// Reconciles a TrainingJob: its finalizer, its headless Service, one pod per worker (scaling
/// up and down with `spec.workers`), simulated progress (one epoch every `epochSeconds` while
/// every worker runs) and its status: phase, counts, `WorkersReady` and `Complete` conditions.
/// On delete it removes its workers and Service itself, then releases the finalizer.
struct TrainingJobReconciler: ResourceReconciler {
    typealias Resource = TrainingJob
    static let finalizer = "ml.example.com/cleanup"

    let manager: Manager

    func reconcile(_ request: Request) async throws -> ReconcileResult {
        guard var job = manager.lister(for: TrainingJob.self).namespace(request.namespace).get(request.name) else { return .done }
        let jobs = manager.client(for: TrainingJob.self, namespace: request.namespace)
        let pods = manager.client(for: CoreV1.Pod.self, namespace: request.namespace)
        let services = manager.client(for: CoreV1.Service.self, namespace: request.namespace)
        let owned = manager.lister(for: CoreV1.Pod.self).namespace(request.namespace).list()
            .filter { $0.isControlled(by: job) && !$0.isBeingDeleted }

        if job.isBeingDeleted {
            guard job.hasFinalizer(Self.finalizer) else { return .done }
            for pod in owned { try await ignoringNotFound { try await pods.delete(pod.name) } }
            try await ignoringNotFound { try await services.delete(job.name) }
            await manager.eventRecorder().record(
                ObjectReference(job), reason: "CleanedUp", message: "Deleted \(owned.count) workers and service \(job.name)")
            try await jobs.releaseFinalizer(Self.finalizer, from: job)
            return .done
        }
        job = try await jobs.ensureFinalizer(Self.finalizer, on: job)

        if manager.lister(for: CoreV1.Service.self).namespace(request.namespace).get(job.name) == nil {
            try await ignoringAlreadyExists { _ = try await services.create(TrainingJobWorkers.service(of: job)) }
        }

        // Workers: one per index below spec.workers; extra ones (after a scale down) go.
        var status = job.status ?? TrainingJob.Status()
        let complete = (status.epochsCompleted ?? 0) >= job.spec.epochs
        let existing = Set(owned.compactMap(TrainingJobWorkers.index))
        if !complete {
            for index in 0..<max(job.spec.workers, 0) where !existing.contains(index) {
                try await ignoringAlreadyExists { _ = try await pods.create(TrainingJobWorkers.pod(of: job, index: index)) }
                await manager.eventRecorder().record(
                    ObjectReference(job), reason: "CreatedWorker", message: "Created worker \(TrainingJobWorkers.podName(of: job, index: index))")
            }
        }
        for pod in owned where (TrainingJobWorkers.index(of: pod) ?? 0) >= job.spec.workers {
            try await ignoringNotFound { try await pods.delete(pod.name) }
        }

        let workers = owned.filter { (TrainingJobWorkers.index(of: $0) ?? 0) < job.spec.workers }
        let running = workers.filter { $0.status?.phase == "Running" }.count
        let allRunning = job.spec.workers > 0 && running == job.spec.workers
        status.workers = workers.count
        status.readyWorkers = running
        status.selector = TrainingJobWorkers.selector(of: job)

        // Simulated training: an epoch passes every epochSeconds while every worker runs.
        let now = manager.options.clock.now
        let epoch = Duration.seconds(job.spec.epochSeconds ?? 5)
        var next: Duration?
        if !complete && allRunning {
            if let last = status.lastEpochTime, last.advanced(by: epoch) <= now {
                status.epochsCompleted = (status.epochsCompleted ?? 0) + 1
                status.lastEpochTime = now
            } else if status.lastEpochTime == nil {
                status.lastEpochTime = now
                status.epochsCompleted = status.epochsCompleted ?? 0
            }
            if (status.epochsCompleted ?? 0) < job.spec.epochs, let last = status.lastEpochTime {
                next = now.duration(to: last.advanced(by: epoch))
            }
        }
        let finished = (status.epochsCompleted ?? 0) >= job.spec.epochs
        status.phase = finished ? .succeeded : allRunning ? .running : .pending

        var conditions = status.conditions ?? []
        let generation = job.metadata?.generation
        conditions.set(
            "WorkersReady", status: allRunning ? .true : .false, reason: allRunning ? "AllWorkersRunning" : "WaitingForWorkers",
            message: "\(running) of \(job.spec.workers) workers running", observedGeneration: generation, now: now)
        conditions.set(
            "Complete", status: finished ? .true : .false, reason: finished ? "TrainingSucceeded" : "Training",
            message: "\(status.epochsCompleted ?? 0) of \(job.spec.epochs) epochs completed", observedGeneration: generation, now: now)
        status.conditions = conditions

        if status != job.status {
            if finished && !complete {
                await manager.eventRecorder().record(ObjectReference(job), reason: "Completed", message: "Trained \(job.spec.epochs) epochs")
            }
            job.status = status
            _ = try await jobs.updateStatus(job)
        }
        return next.map { .requeueAfter($0) } ?? .done
    }

    private func ignoringNotFound(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as APIError where error.isNotFound {}
    }

    private func ignoringAlreadyExists(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as APIError where error.isAlreadyExists {}
    }
}
