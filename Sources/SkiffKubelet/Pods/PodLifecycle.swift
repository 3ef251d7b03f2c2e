import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// Drives one pod through its life on a node, as upstream's kubelet pod workers and
/// `generateAPIPodStatus` do: a sandbox with an IP from the node's pod subnet, init containers
/// one after another to completion (sidecars, `restartPolicy: Always`, until started, and kept
/// running), then the regular containers together; restarts per
/// `restartPolicy` with the crash-loop back-off (immediately, then 10 s doubling up to 5 min);
/// a finished pod's sandbox is torn down. Returns the status the pod should have and when
/// something will change next.
struct PodLifecycle: Sendable {
    static let initialBackoffSeconds: Int64 = 10
    static let maximumBackoffSeconds: Int64 = 300

    let runtime: any ContainerRuntime
    let hostIP: String
    let ips: PodIPAllocator
    /// Where probe failures and the restarts they cause are recorded.
    var events: EventRecorder?
    /// Where failed lifecycle hooks say why (their events do not).
    var logger: Logger?
    /// Forms the pods' resolv.conf (nil: containers keep their image's).
    var dns: PodDNSConfigurer?
    /// Prepares the pods' volumes (nil: the runtime mounts none).
    var volumes: VolumeManager?
    /// Without a volume manager: where the pods' claims are checked to be bound before they start.
    var claims: (any VolumeSourceReader)?
    /// Where the pods' image pull secrets are read (nil: images are pulled anonymously).
    var pullSecrets: (any VolumeSourceReader)?
    /// Makes the pods' cgroups (nil: the runtime's containers get none).
    var cgroups: PodCgroups?
    /// The node's memory in bytes, which Burstable containers' `oom_score_adj` is relative to.
    var memoryCapacity: Int64 = 0

    /// What a sync decided.
    struct Outcome: Sendable {
        /// The pod's whole new status.
        var status: CoreV1.PodStatus
        /// When to sync again because a container will exit or become ready; nil: only on changes.
        var wakeAt: Timestamp?
    }

    /// How a container stands after a sync.
    enum ContainerState: Sendable, Hashable {
        case pending
        case running(ready: Bool)
        /// Exited and waiting for its restart.
        case backingOff
        case succeeded
        case failed
    }

    /// Advances `pod` at `now`, updating `record`.
    func sync(_ pod: CoreV1.Pod, record: inout PodRecord, now: Timestamp) async throws -> Outcome {
        if let terminal = record.terminalStatus { return Outcome(status: terminal, wakeAt: nil) }
        var wake: Timestamp?
        if let waiting = await prepareVolumes(pod, record: &record, now: now, refreshAt: &wake) { return waiting }
        try await ensureSandbox(pod, record: &record)
        try await ensureHostsFile(pod, record: &record)
        let restartPolicy = pod.spec?.restartPolicy ?? "Always"

        var initStatuses: [CoreV1.ContainerStatus] = []
        var incompleteInit: [String] = []
        var initFailed = false
        // Once a regular container was started the pod stays initialized, also while a sidecar restarts.
        let initialized = (pod.spec?.containers ?? []).contains { record.containers["app/\($0.name)"] != nil }
        var unreadySidecars: [String] = []
        for spec in pod.spec?.initContainers ?? [] {
            let name = spec.name
            guard incompleteInit.isEmpty else {
                initStatuses.append(Self.pendingStatus(spec))
                incompleteInit.append(name)
                continue
            }
            if Self.isSidecar(spec) {
                // A restartable init container: started, it lets the next one start, and it is
                // restarted whenever it exits, whatever the pod's restartPolicy.
                let (status, _) = try await advance(
                    spec, key: "init/\(name)", pod: pod, record: &record, now: now, behaviour: SimulatedBehaviour(),
                    restarts: { _ in true }, wake: &wake)
                initStatuses.append(status)
                if !status.ready { unreadySidecars.append(name) }
                if status.started != true, !initialized { incompleteInit.append(name) }
                continue
            }
            let (status, state) = try await advance(
                spec, key: "init/\(name)", pod: pod, record: &record, now: now, behaviour: SimulatedBehaviour(runSeconds: 0),
                restarts: { $0 != 0 && restartPolicy != "Never" }, wake: &wake)
            initStatuses.append(status)
            if state != .succeeded {
                incompleteInit.append(name)
                if state == .failed { initFailed = true }
            }
        }

        var statuses: [CoreV1.ContainerStatus] = []
        var counts = (running: 0, waiting: 0, stopped: 0, succeeded: 0)
        var unready = unreadySidecars
        let behaviour = SimulationAnnotations.containerBehaviour(of: pod)
        for spec in pod.spec?.containers ?? [] {
            let name = spec.name
            guard incompleteInit.isEmpty else {
                statuses.append(Self.pendingStatus(spec))
                counts.waiting += 1
                unready.append(name)
                continue
            }
            let (status, state) = try await advance(
                spec, key: "app/\(name)", pod: pod, record: &record, now: now, behaviour: behaviour,
                restarts: { restartPolicy == "Always" || (restartPolicy == "OnFailure" && $0 != 0) }, wake: &wake)
            statuses.append(status)
            switch state {
            case .pending: counts.waiting += 1
            case .running(let ready):
                counts.running += 1
                if ready { continue }
            case .backingOff: counts.stopped += 1
            case .succeeded:
                counts.stopped += 1
                counts.succeeded += 1
            case .failed: counts.stopped += 1
            }
            unready.append(name)
        }

        let phase: String
        if !incompleteInit.isEmpty {
            phase = initFailed && restartPolicy == "Never" ? "Failed" : "Pending"
        } else if counts.waiting > 0 {
            phase = "Pending"
        } else if counts.running > 0 {
            phase = "Running"
        } else if counts.stopped > 0 {
            if restartPolicy == "Always" {
                phase = "Running"
            } else if counts.stopped == counts.succeeded {
                phase = "Succeeded"
            } else {
                phase = restartPolicy == "Never" ? "Failed" : "Running"
            }
        } else {
            phase = "Pending"
        }
        let terminal = phase == "Succeeded" || phase == "Failed"
        if terminal {
            // The regular containers are done: the sidecars are stopped in turn within the pod's
            // grace period, as upstream's kubelet kills a finished pod.
            let sidecars = (pod.spec?.initContainers ?? []).filter(Self.isSidecar)
            await stopContainers(pod, record: record, gracePeriod: .seconds(pod.spec?.terminationGracePeriodSeconds ?? 30))
            for stopped in await terminatedStatuses(sidecars, prefix: "init/", reported: initStatuses, record: record) {
                if let index = initStatuses.firstIndex(where: { $0.name == stopped.name }) { initStatuses[index] = stopped }
            }
            try await tearDown(&record)
            wake = nil
        }

        let conditions = PodConditions(
            phase: phase, sandboxReady: record.sandboxID != nil, incompleteInitContainers: incompleteInit, unreadyContainers: unready)
        var status = pod.status ?? CoreV1.PodStatus()
        status.phase = phase
        status.conditions = conditions.merged(into: status.conditions ?? [], now: now)
        status.hostIP = hostIP
        status.hostIPs = [CoreV1.HostIP(ip: hostIP)]
        if let podIP = record.podIP {
            status.podIP = podIP
            status.podIPs = [CoreV1.PodIP(ip: podIP)]
        }
        if status.startTime == nil { status.startTime = now.wholeSeconds }
        status.initContainerStatuses = initStatuses.isEmpty ? nil : initStatuses
        status.containerStatuses = statuses
        if terminal { record.terminalStatus = status }
        return Outcome(status: status, wakeAt: wake)
    }

    /// A new record for `pod`, holding the sandbox and containers a previous run of the kubelet
    /// left for it if the runtime still has them (upstream's kubelet, too, starts from the CRI's
    /// sandboxes and containers): the newest container of each name is the pod's, older ones are
    /// removed; restart counts go on from the pod's status, the pod keeps its IP.
    func record(for pod: CoreV1.Pod, uid: String, nodeName: String) async -> PodRecord {
        var record = PodRecord(uid: uid, nodeName: nodeName)
        guard let existing = await runtime.existingSandboxes().first(where: { $0.podUID == uid }) else { return record }
        record.sandboxID = existing.id
        if pod.spec?.hostNetwork == true {
            record.podIP = hostIP
        } else if !existing.podIP.isEmpty {
            ips.occupy(existing.podIP)
            record.podIP = existing.podIP
            record.holdsIP = true
        }
        let initNames = Set((pod.spec?.initContainers ?? []).map(\.name))
        let statuses = (pod.status?.initContainerStatuses ?? []) + (pod.status?.containerStatuses ?? [])
        for (name, found) in Dictionary(grouping: existing.containers, by: \.name) {
            let newestFirst = found.sorted { $0.attempt > $1.attempt }
            for older in newestFirst.dropFirst() { try? await runtime.removeContainer(older.id) }
            let restarts = statuses.first { $0.name == name }?.restartCount ?? 0
            record.containers[(initNames.contains(name) ? "init/" : "app/") + name] = PodRecord.Container(
                containerID: newestFirst[0].id, restartCount: Int64(restarts))
        }
        await runtime.adoptSandbox(existing.id, config: await sandboxConfig(pod, record: record))
        return record
    }

    /// Stops the pod's containers (SIGTERM, SIGKILL after `gracePeriod`), stops and removes its
    /// sandbox, removes its volumes and gives its IP back; the record keeps the IP for the status.
    func tearDown(_ record: inout PodRecord, gracePeriod: Duration = .zero) async throws {
        if let sandboxID = record.sandboxID {
            for container in record.containers.values { try? await runtime.stopContainer(container.containerID, timeout: gracePeriod) }
            try await runtime.stopPodSandbox(sandboxID)
            try await runtime.removePodSandbox(sandboxID)
            record.sandboxID = nil
        }
        cgroups?.remove(uid: record.uid)
        if let volumes {
            await volumes.tearDown(uid: record.uid)
            record.volumePaths = [:]
        }
        if record.holdsIP, let podIP = record.podIP { ips.release(podIP) }
        record.holdsIP = false
        record.containers = [:]
        record.hostsFile = nil
    }

    /// Writes the pod's managed `/etc/hosts` once its IP is known (nodes with a volume manager,
    /// which keeps the pod's directory).
    private func ensureHostsFile(_ pod: CoreV1.Pod, record: inout PodRecord) async throws {
        guard record.hostsFile == nil, let volumes, let podIP = record.podIP else { return }
        let file = PodHostsFile(
            pod: pod, podIP: podIP, clusterDomain: dns?.settings.clusterDomain ?? PodDNSConfigurer.Settings().clusterDomain,
            nodeHosts: PodHostsFile.readNodeHosts)
        record.hostsFile = try await volumes.writeHostsFile(file, uid: record.uid)
    }

    private func ensureSandbox(_ pod: CoreV1.Pod, record: inout PodRecord) async throws {
        guard record.sandboxID == nil else { return }
        if record.podIP == nil {
            if pod.spec?.hostNetwork == true {
                record.podIP = hostIP
            } else if let existing = pod.status?.podIP, !existing.isEmpty {
                // The pod ran here before this kubelet started: it keeps its address.
                ips.occupy(existing)
                record.podIP = existing
                record.holdsIP = true
            } else {
                guard let address = ips.allocate() else {
                    throw RuntimeError(.invalidState, "no free pod IP in \(ips.subnet)")
                }
                record.podIP = address
                record.holdsIP = true
            }
        }
        let sandboxID = try await runtime.runPodSandbox(await sandboxConfig(pod, record: record))
        record.sandboxID = sandboxID
        if let address = await runtime.podSandboxIP(sandboxID), address != record.podIP {
            // The runtime's own network plugin chose the address (CRI): it is the pod's.
            if record.holdsIP, let podIP = record.podIP { ips.release(podIP) }
            record.podIP = address
            record.holdsIP = false
        }
    }

    /// The sandbox of `pod` with the address in `record`, its host name, DNS and cgroup (made here).
    private func sandboxConfig(_ pod: CoreV1.Pod, record: PodRecord) async -> PodSandboxConfig {
        var sandbox = PodSandboxConfig(
            podName: pod.name, podNamespace: pod.namespace, podUID: record.uid, podIP: record.podIP ?? "",
            podSubnet: pod.spec?.hostNetwork == true ? nil : ips.subnet)
        sandbox.hostname = pod.spec?.hostname.flatMap { $0.isEmpty ? nil : $0 }
        sandbox.dns = dns?.configuration(for: pod)
        sandbox.cgroupParent = await podCgroup(pod, uid: record.uid)
        sandbox.pod = pod
        return sandbox
    }

    /// The pod's cgroup, made with its limits; nil without cgroups or when the host refuses
    /// them: the pod then runs without limits, and a Warning event says why.
    private func podCgroup(_ pod: CoreV1.Pod, uid: String) async -> String? {
        guard let cgroups else { return nil }
        do {
            return try cgroups.ensure(pod, uid: uid)
        } catch {
            await events?.record(
                ObjectReference(pod), type: .warning, reason: Self.cgroupFailureReason,
                message: "unable to ensure pod container exists: \(error); running the pod without resource limits")
            return nil
        }
    }

    /// The reason of the Warning event for a pod whose cgroup could not be made (upstream's
    /// `FailedToCreatePodContainer`).
    static let cgroupFailureReason = "FailedCreatePodContainer"

    /// Starts, restarts or reports one container.
    private func advance(
        _ spec: CoreV1.Container, key: String, pod: CoreV1.Pod, record: inout PodRecord, now: Timestamp, behaviour: SimulatedBehaviour,
        restarts: (Int32) -> Bool, wake: inout Timestamp?
    ) async throws -> (CoreV1.ContainerStatus, ContainerState) {
        var config = ContainerConfig(
            name: spec.name, image: spec.image ?? "", command: spec.command ?? [], args: spec.args ?? [], simulation: behaviour)
        config.env = (spec.env ?? []).map { ContainerConfig.EnvVar(name: $0.name, value: $0.value ?? "") }
        config.workingDir = spec.workingDir ?? ""
        config.mounts = ContainerMounts.binds(spec.volumeMounts ?? [], volumes: record.volumePaths)
        if let hosts = record.hostsFile, !config.mounts.contains(where: { $0.containerPath == "/etc/hosts" }) {
            config.mounts.append(ContainerConfig.Mount(containerPath: "/etc/hosts", hostPath: hosts, readOnly: false))
        }
        config.imagePullPolicy = spec.imagePullPolicy ?? "IfNotPresent"
        config.tty = spec.tty ?? false
        config.stdin = spec.stdin ?? false
        config.stdinOnce = spec.stdinOnce ?? false
        config.resources = LinuxContainerResources(spec.resources)
        config.resources.oomScoreAdj = LinuxContainerResources.oomScoreAdjust(spec, pod: pod, memoryCapacity: memoryCapacity)
        config.spec = spec
        var entry: PodRecord.Container
        if let existing = record.containers[key] {
            entry = existing
        } else {
            switch try await firstStart(config, spec: spec, key: key, pod: pod, record: &record, now: now, wake: &wake) {
            case .started(let id): entry = PodRecord.Container(containerID: id)
            case .waiting(let status): return (status, .pending)
            }
        }
        var current = try await runtime.containerStatus(entry.containerID)
        var verdict: ProbeVerdict?
        if runtime.runsProcesses, current.state == .running {
            verdict = await probe(spec, key: key, pod: pod, entry: &entry, startedAt: current.startedAt ?? now, podIP: record.podIP ?? "", now: now, wake: &wake)
            if let reason = verdict?.killReason {
                let grace = spec.livenessProbe?.terminationGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30
                _ = await kill(entry.containerID, key: key, pod: pod, podIP: record.podIP ?? "", message: reason, gracePeriod: .seconds(grace))
                current = try await runtime.containerStatus(entry.containerID)
            }
        }
        while current.state == .exited, restarts(current.exitCode) {
            let due = (current.finishedAt ?? now).adding(seconds: entry.backoffSeconds)
            guard entry.backoffSeconds == 0 || due <= now else {
                wake = Self.earliest(wake, due)
                break
            }
            try await runtime.removeContainer(entry.containerID)
            entry.lastTermination = current
            entry.restartCount += 1
            entry.backoffSeconds = entry.backoffSeconds == 0
                ? Self.initialBackoffSeconds : min(entry.backoffSeconds * 2, Self.maximumBackoffSeconds)
            entry.containerID = try await start(config, key: key, pod: pod, in: record)
            entry.probes = [:]
            current = try await runtime.containerStatus(entry.containerID)
        }
        record.containers[key] = entry

        var status = CoreV1.ContainerStatus(
            containerID: Self.containerID(current.id), image: current.image, imageID: current.imageID,
            lastState: entry.lastTermination.map(Self.terminatedState) ?? CoreV1.ContainerState(), name: config.name, ready: false,
            restartCount: Int32(entry.restartCount))
        let state: ContainerState
        switch current.state {
        case .created:
            status.state = CoreV1.ContainerState(waiting: .init(reason: "ContainerCreating"))
            state = .pending
        case .running:
            let startedAt = current.startedAt ?? now
            if let seconds = behaviour.runSeconds { wake = Self.earliest(wake, startedAt.adding(milliseconds: Int64(seconds * 1000))) }
            if let period = runtime.relistPeriod { wake = Self.earliest(wake, now.advanced(by: period)) }
            let ready: Bool
            if let verdict {
                ready = verdict.started && verdict.ready
            } else {
                let readyAt = startedAt.adding(seconds: Int64(spec.readinessProbe?.initialDelaySeconds ?? 0))
                // The runtime stamps the start with its own clock, which may be a moment past `now`.
                ready = readyAt <= max(now, startedAt)
                if !ready { wake = Self.earliest(wake, readyAt) }
            }
            status.state = CoreV1.ContainerState(running: .init(startedAt: startedAt.wholeSeconds))
            state = .running(ready: ready)
        case .exited where restarts(current.exitCode):
            let backoff = GoDuration.format(nanoseconds: entry.backoffSeconds * 1_000_000_000)
            let podName = "\(pod.name)_\(pod.namespace)(\(record.uid))"
            await containerEvent(
                pod, key: key, type: .warning, reason: "BackOff", message: "Back-off restarting failed container \(config.name) in pod \(podName)")
            status.state = CoreV1.ContainerState(
                waiting: .init(message: "back-off \(backoff) restarting failed container=\(config.name) pod=\(podName)", reason: "CrashLoopBackOff"))
            status.lastState = Self.terminatedState(current)
            state = .backingOff
        case .exited:
            status.state = Self.terminatedState(current)
            state = current.exitCode == 0 ? .succeeded : .failed
        }
        if case .running(let ready) = state {
            status.started = verdict?.started ?? true
            status.ready = ready
        } else {
            status.started = false
        }
        return (status, state)
    }

    /// What the first start of a container came to.
    private enum FirstStart {
        case started(String)
        /// Not started; the container's status says why (`ErrImagePull`, `ImagePullBackOff`, …).
        case waiting(CoreV1.ContainerStatus)
    }

    /// Starts a container for the first time unless its image pulls are backing off; a failed
    /// pull or create is reported as upstream's waiting reason instead of failing the sync.
    private func firstStart(
        _ config: ContainerConfig, spec: CoreV1.Container, key: String, pod: CoreV1.Pod, record: inout PodRecord, now: Timestamp,
        wake: inout Timestamp?
    ) async throws -> FirstStart {
        var status = Self.pendingStatus(spec)
        if let backoff = record.imagePullBackoff[key], now < backoff.retryAt {
            wake = Self.earliest(wake, backoff.retryAt)
            let message = "Back-off pulling image \"\(config.image)\""
            await containerEvent(pod, key: key, reason: "BackOff", message: message)
            await containerEvent(pod, key: key, type: .warning, reason: "Failed", message: "Error: ImagePullBackOff")
            status.state = CoreV1.ContainerState(waiting: .init(message: message, reason: "ImagePullBackOff"))
            return .waiting(status)
        }
        do {
            let id = try await start(config, key: key, pod: pod, in: record)
            record.imagePullBackoff[key] = nil
            return .started(id)
        } catch let error as RuntimeError where [.imagePull, .imageNeverPull, .createContainer].contains(error.code) {
            let reason = switch error.code {
            case .imagePull: "ErrImagePull"
            case .imageNeverPull: "ErrImageNeverPull"
            default: "CreateContainerError"
            }
            if error.code != .createContainer { await containerEvent(pod, key: key, type: .warning, reason: "Failed", message: "Error: \(reason)") }
            let backoff = ImagePullBackoff.after(record.imagePullBackoff[key], now: now)
            if error.code == .imagePull { record.imagePullBackoff[key] = backoff }
            wake = Self.earliest(wake, backoff.retryAt)
            status.state = CoreV1.ContainerState(waiting: .init(message: error.message, reason: reason))
            return .waiting(status)
        }
    }

    /// Pulls the image as its policy says, creates and starts a container (each step with its
    /// event: `Created`, `Started`, or `Failed` "Error: …"), then runs its `postStart` hook (the sync waits for it, as
    /// upstream's pod worker does); when the hook fails, a `FailedPostStartHook` event is
    /// recorded and the container is killed, to be restarted as its restart policy says.
    private func start(_ config: ContainerConfig, key: String, pod: CoreV1.Pod, in record: PodRecord) async throws -> String {
        guard let sandboxID = record.sandboxID else { throw RuntimeError(.invalidState, "the pod has no sandbox") }
        try await ensureImage(config, key: key, pod: pod, sandboxID: sandboxID)
        let id: String
        do {
            id = try await runtime.createContainer(in: sandboxID, config)
            await containerEvent(pod, key: key, reason: "Created", message: "Created container: \(config.name)")
            try await runtime.startContainer(id)
        } catch let error as RuntimeError {
            await containerEvent(pod, key: key, type: .warning, reason: "Failed", message: "Error: \(error.message)")
            throw error
        }
        await containerEvent(pod, key: key, reason: "Started", message: "Started container \(config.name)")
        if runtime.runsProcesses, let spec = config.spec, let hook = spec.lifecycle?.postStart,
            let failure = await LifecycleHookRunner(runtime: runtime).run(hook, containerID: id, container: spec, pod: pod, podIP: record.podIP ?? "")
        {
            await hookFailed("PostStart", pod: pod, containerKey: key, message: failure)
            _ = await kill(id, key: key, pod: pod, podIP: record.podIP ?? "", message: "FailedPostStartHook",
                           gracePeriod: .seconds(pod.spec?.terminationGracePeriodSeconds ?? 30))
        }
        return id
    }

    /// Whether `spec`, an init container, is a sidecar (`restartPolicy: Always`, upstream's
    /// restartable init container): it keeps running beside the regular containers.
    static func isSidecar(_ spec: CoreV1.Container) -> Bool { spec.restartPolicy == "Always" }

    /// The status of a container that has not been created yet (its init containers run).
    static func pendingStatus(_ spec: CoreV1.Container) -> CoreV1.ContainerStatus {
        CoreV1.ContainerStatus(
            image: spec.image ?? "", imageID: "", lastState: CoreV1.ContainerState(), name: spec.name, ready: false, restartCount: 0,
            started: false, state: CoreV1.ContainerState(waiting: .init(reason: "PodInitializing")))
    }

    static func terminatedState(_ status: RuntimeContainerStatus) -> CoreV1.ContainerState {
        CoreV1.ContainerState(
            terminated: .init(
                containerID: containerID(status.id), exitCode: status.exitCode, finishedAt: status.finishedAt?.wholeSeconds, reason: status.reason,
                startedAt: status.startedAt?.wholeSeconds))
    }

    /// `containerd://<id>`: the ID as upstream's kubelet reports it, with the runtime's scheme.
    static func containerID(_ id: String) -> String { "containerd://\(id)" }

    /// The runtime's ID in a status' `containerID` (`scheme://id`; an ID without scheme as it is).
    static func runtimeID(_ containerID: String) -> String {
        containerID.split(separator: "://").last.map(String.init) ?? containerID
    }

    private static func earliest(_ a: Timestamp?, _ b: Timestamp) -> Timestamp {
        a.map { min($0, b) } ?? b
    }
}
