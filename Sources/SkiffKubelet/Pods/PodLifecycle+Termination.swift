import SkiffAPI
import SkiffModels

extension PodLifecycle {
    /// Stops a deleted pod's containers (SIGTERM, SIGKILL after `gracePeriod`; the regular ones
    /// together, then the sidecars), frees what it held, and returns the terminal status
    /// upstream's kubelet writes before the final delete: every container terminated (one never
    /// found by the runtime as upstream's `ContainerStatusUnknown`), `Succeeded` when every
    /// regular container exited 0 and `Failed` otherwise, and the readiness conditions false. A
    /// pod that had already finished keeps the status it finished with.
    func terminate(_ pod: CoreV1.Pod, record: inout PodRecord, gracePeriod: Duration, now: Timestamp) async throws -> CoreV1.PodStatus {
        if let terminal = record.terminalStatus {
            try await tearDown(&record)
            return terminal
        }
        // The regular containers together; then the init containers' (the sidecars still running)
        // with what is left of the grace period, as upstream stops sidecars after the containers
        // they serve.
        let deadline = ContinuousClock.now.advanced(by: gracePeriod)
        let isInit = { (key: String) in key.hasPrefix("init/") }
        await stopTogether(record.containers.filter { !isInit($0.key) }.map { $0.value.containerID }, timeout: gracePeriod)
        await stopTogether(record.containers.filter { isInit($0.key) }.map { $0.value.containerID }, timeout: max(.zero, deadline - ContinuousClock.now))
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

    /// Stops the runtime containers `ids` at the same time, each with `timeout` between SIGTERM and SIGKILL.
    func stopTogether(_ ids: [String], timeout: Duration) async {
        let runtime = self.runtime
        await withTaskGroup(of: Void.self) { group in
            for id in ids { group.addTask { _ = try? await runtime.stopContainer(id, timeout: timeout) } }
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
