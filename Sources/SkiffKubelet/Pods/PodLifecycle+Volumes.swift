import SkiffAPI
import SkiffComponentHelpers
import SkiffClient
import SkiffModels

extension PodLifecycle {
    /// Prepares (or refreshes) the pod's volumes when the node has a volume manager; nil when
    /// they are ready (their paths in `record`, `refreshAt` when to look again), else the status
    /// of a pod waiting for them (every container `ContainerCreating`), a `FailedMount` warning
    /// recorded for a new failure, and when to retry. A node without one (simulated) only
    /// waits before its sandbox starts, checking again every `claimRetrySeconds`, until the pod's claims are bound.
    func prepareVolumes(_ pod: CoreV1.Pod, record: inout PodRecord, now: Timestamp, refreshAt: inout Timestamp?) async -> Outcome? {
        guard let volumes else { return record.sandboxID == nil ? await waitForClaims(pod, now: now) : nil }
        switch await volumes.setUp(pod, uid: record.uid, now: now) {
        case .ready(let paths, let refresh):
            record.volumePaths = paths
            refreshAt = refresh
            return nil
        case .failed(let message, let fresh, let retryAt):
            if fresh { await events?.record(ObjectReference(pod), type: .warning, reason: "FailedMount", message: message) }
            return Outcome(status: waitingForVolumes(pod, now: now), wakeAt: retryAt)
        }
    }

    static let claimRetrySeconds: Int64 = 2

    private func waitForClaims(_ pod: CoreV1.Pod, now: Timestamp) async -> Outcome? {
        guard let claims else { return nil }
        do {
            for claim in pod.claimNames {
                _ = try await claims.boundVolume(namespace: pod.namespace, claim: claim)
            }
            return nil
        } catch {
            return Outcome(status: waitingForVolumes(pod, now: now), wakeAt: now.adding(seconds: Self.claimRetrySeconds))
        }
    }

    private func waitingForVolumes(_ pod: CoreV1.Pod, now: Timestamp) -> CoreV1.PodStatus {
        let initContainers = pod.spec?.initContainers ?? []
        let containers = pod.spec?.containers ?? []
        var status = pod.status ?? CoreV1.PodStatus()
        status.phase = "Pending"
        status.conditions = PodConditions(
            phase: "Pending", sandboxReady: false, incompleteInitContainers: initContainers.map(\.name), unreadyContainers: containers.map(\.name)
        ).merged(into: status.conditions ?? [], now: now)
        status.hostIP = hostIP
        status.hostIPs = [CoreV1.HostIP(ip: hostIP)]
        if status.startTime == nil { status.startTime = now.wholeSeconds }
        status.initContainerStatuses = initContainers.isEmpty ? nil : initContainers.map(Self.pendingStatus)
        status.containerStatuses = containers.map { spec in
            var waiting = Self.pendingStatus(spec)
            waiting.state = CoreV1.ContainerState(waiting: .init(reason: "ContainerCreating"))
            return waiting
        }
        return status
    }
}
