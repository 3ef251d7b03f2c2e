import SkiffAPI
import SkiffModels

extension PodLifecycle {
    /// Stops a deleted pod's containers (`stopContainers`: the regular ones, then the sidecars
    /// in turn, within `gracePeriod`), frees what it held, and returns the terminal status
    /// upstream's kubelet writes before the final delete: every container terminated (one never
    /// found by the runtime as upstream's `ContainerStatusUnknown`), `Succeeded` when every
    /// regular container exited 0 and `Failed` otherwise, and the readiness conditions false. A
    /// pod that had already finished keeps the status it finished with.
    func terminate(_ pod: CoreV1.Pod, record: inout PodRecord, gracePeriod: Duration, now: Timestamp) async throws -> CoreV1.PodStatus {
        if let terminal = record.terminalStatus {
            try await tearDown(&record)
            return terminal
        }
        await stopContainers(pod, record: record, gracePeriod: gracePeriod)
        var status = pod.status ?? CoreV1.PodStatus()
        let initStatuses = await terminatedStatuses(pod.spec?.initContainers ?? [], prefix: "init/", reported: status.initContainerStatuses, record: record)
        let statuses = await terminatedStatuses(pod.spec?.containers ?? [], prefix: "app/", reported: status.containerStatuses, record: record)
        try await tearDown(&record)

        let phase = statuses.allSatisfy { $0.state?.terminated?.exitCode == 0 } ? "Succeeded" : "Failed"
        let conditions = PodConditions(phase: phase, sandboxReady: false, incompleteInitContainers: [], unreadyContainers: statuses.map(\.name))
        status.phase = phase
        status.conditions = conditions.merged(into: status.conditions ?? [], now: now)
        status.initContainerStatuses = initStatuses.isEmpty ? nil : initStatuses
        status.containerStatuses = statuses
        record.terminalStatus = status
        return status
    }

    /// The least time a container is given between SIGTERM and SIGKILL, whatever the grace
    /// period (upstream's `minimumGracePeriodInSeconds`).
    static let minimumGracePeriod = Duration.seconds(2)

    /// Stops the pod's running containers as upstream's kubelet kills a pod: all at once, each
    /// given `gracePeriod` between SIGTERM and SIGKILL, except that a sidecar first waits for its
    /// turn (`TerminationOrdering`: after the regular containers, sidecars last-declared first)
    /// for at most `gracePeriod`, and then gets what is left of it in whole seconds; never less
    /// than `minimumGracePeriod`. Returns when every stop has returned.
    func stopContainers(_ pod: CoreV1.Pod, record: PodRecord, gracePeriod: Duration) async {
        var running: [String: String] = [:]
        for (key, entry) in record.containers {
            guard (try? await runtime.containerStatus(entry.containerID))?.state == .running else { continue }
            // Keys are `init/<name>` or `app/<name>`; names are unique within a pod.
            running[String(key.drop { $0 != "/" }.dropFirst())] = entry.containerID
        }
        guard !running.isEmpty else { return }
        let ordering = TerminationOrdering(pod, running: Set(running.keys))
        let runtime = self.runtime
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(until: start.advanced(by: gracePeriod), clock: .continuous)
                ordering.expire()
            }
            await withTaskGroup(of: Void.self) { stops in
                for (name, id) in running {
                    stops.addTask {
                        var timeout = gracePeriod
                        if gracePeriod > .zero, ordering.prerequisites[name] != nil {
                            await ordering.waitForTurn(name)
                            timeout -= .seconds((ContinuousClock.now - start).components.seconds)
                        }
                        // A failed stop leaves the containers waiting for this one to their deadline, as upstream's.
                        guard (try? await runtime.stopContainer(id, timeout: max(timeout, Self.minimumGracePeriod))) != nil else { return }
                        ordering.terminated(name)
                    }
                }
            }
            group.cancelAll()
        }
    }

    /// The final status of each of `specs`: its runtime container's end, else the termination it
    /// already reported, else upstream's `ContainerStatusUnknown` (exit code 137).
    func terminatedStatuses(
        _ specs: [CoreV1.Container], prefix: String, reported: [CoreV1.ContainerStatus]?, record: PodRecord
    ) async -> [CoreV1.ContainerStatus] {
        var result: [CoreV1.ContainerStatus] = []
        for spec in specs {
            var status = reported?.first { $0.name == spec.name } ?? Self.pendingStatus(spec)
            status.ready = false
            status.started = false
            if let entry = record.containers[prefix + spec.name],
                let current = try? await runtime.containerStatus(entry.containerID), current.state == .exited
            {
                status.state = Self.terminatedState(current)
            } else if status.state?.terminated == nil {
                status.state = CoreV1.ContainerState(
                    terminated: .init(
                        exitCode: 137, message: "The container could not be located when the pod was terminated",
                        reason: "ContainerStatusUnknown"))
            }
            result.append(status)
        }
        return result
    }
}
