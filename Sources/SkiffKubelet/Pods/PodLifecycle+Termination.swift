import SkiffAPI
import SkiffClient
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
    /// through `kill` with `gracePeriod`, sidecars in their turn (`TerminationOrdering`: after
    /// the regular containers, sidecars last-declared first), waiting for it at most until
    /// `gracePeriod` has passed since the start. Returns when every stop has returned.
    func stopContainers(_ pod: CoreV1.Pod, record: PodRecord, gracePeriod: Duration) async {
        var running: [String: (key: String, id: String)] = [:]
        for (key, entry) in record.containers {
            guard (try? await runtime.containerStatus(entry.containerID))?.state == .running else { continue }
            running[Self.containerName(key: key)] = (key, entry.containerID)
        }
        guard !running.isEmpty else { return }
        let ordering = TerminationOrdering(pod, running: Set(running.keys))
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(until: start.advanced(by: gracePeriod), clock: .continuous)
                ordering.expire()
            }
            await withTaskGroup(of: Void.self) { stops in
                for (name, container) in running {
                    stops.addTask {
                        let turn = ordering.prerequisites[name] != nil ? ordering : nil
                        guard await kill(container.id, key: container.key, pod: pod, podIP: record.podIP ?? "", gracePeriod: gracePeriod, ordering: turn) else {
                            // A failed stop leaves the containers waiting for this one to their deadline, as upstream's.
                            return
                        }
                        ordering.terminated(name)
                    }
                }
            }
            group.cancelAll()
        }
    }

    /// Stops one container as upstream's kubelet kills it: a `Killing` event (`message`, else
    /// "Stopping container <name>"), the `preStop` hook if the grace period is not zero (for at
    /// most the grace period; a failure is a `FailedPreStopHook` event and the stop goes on),
    /// then, with `ordering`, the container's turn; SIGTERM with what is left of the grace period
    /// in whole seconds, never less than `minimumGracePeriod`, and SIGKILL after it. Returns
    /// whether the runtime stopped it.
    func kill(
        _ containerID: String, key: String, pod: CoreV1.Pod, podIP: String, message: String? = nil, gracePeriod: Duration,
        ordering: TerminationOrdering? = nil
    ) async -> Bool {
        let name = Self.containerName(key: key)
        let reference = Self.reference(pod, containerKey: key)
        await events?.record(reference, reason: "Killing", message: message ?? "Stopping container \(name)")
        var remaining = gracePeriod
        let spec = Self.containerSpec(pod, key: key)
        if remaining > .zero, runtime.runsProcesses, let spec, let hook = spec.lifecycle?.preStop {
            let start = ContinuousClock.now
            let failure = await ProbeRunner.bounded(remaining) {
                await LifecycleHookRunner(runtime: runtime).run(hook, containerID: containerID, container: spec, pod: pod, podIP: podIP)
            }
            if case .success(let message?)? = failure { await hookFailed("PreStop", pod: pod, containerKey: key, message: message) }
            remaining -= Self.wholeSeconds(since: start)
        }
        if let ordering, remaining > .zero {
            let start = ContinuousClock.now
            await ordering.waitForTurn(name)
            remaining -= Self.wholeSeconds(since: start)
        }
        return (try? await runtime.stopContainer(containerID, timeout: max(remaining, Self.minimumGracePeriod))) != nil
    }

    /// The whole seconds passed since `start` (what comes off a grace period, as upstream counts it).
    static func wholeSeconds(since start: ContinuousClock.Instant) -> Duration {
        .seconds((ContinuousClock.now - start).components.seconds)
    }

    /// Reports a failed `postStart` or `preStop` hook (`kind` `PostStart` or `PreStop`): the
    /// message goes to the log, and a Warning `Failed<kind>Hook` event "<kind>Hook failed" is
    /// recorded without it, as upstream's (the message may hold secrets).
    func hookFailed(_ kind: String, pod: CoreV1.Pod, containerKey key: String, message: String) async {
        logger?.warning("\(kind) hook failed", metadata: ["pod": "\(pod.namespace)/\(pod.name)", "message": "\(message)"])
        await events?.record(Self.reference(pod, containerKey: key), type: .warning, reason: "Failed\(kind)Hook", message: "\(kind)Hook failed")
    }

    /// The name in a record key (`init/<name>` or `app/<name>`; names are unique within a pod).
    static func containerName(key: String) -> String {
        String(key.drop { $0 != "/" }.dropFirst())
    }

    /// The spec of the container a record key names.
    static func containerSpec(_ pod: CoreV1.Pod, key: String) -> CoreV1.Container? {
        let name = containerName(key: key)
        let specs = key.hasPrefix("init/") ? pod.spec?.initContainers : pod.spec?.containers
        return specs?.first { $0.name == name }
    }

    /// The pod as the object of a container's events, with upstream's field path
    /// (`spec.containers{<name>}`, `spec.initContainers{<name>}`).
    static func reference(_ pod: CoreV1.Pod, containerKey key: String) -> ObjectReference {
        var reference = ObjectReference(pod)
        reference.fieldPath = "spec.\(key.hasPrefix("init/") ? "initContainers" : "containers"){\(containerName(key: key))}"
        return reference
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
