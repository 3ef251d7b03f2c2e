import SkiffAPI
import SkiffModels

/// Pod state as the controllers judge it (upstream's `podutil` helpers).
extension CoreV1.Pod {
    /// `status.phase`, `Pending` when unset.
    var phase: String { status?.phase ?? "Pending" }

    /// Whether the pod has finished for good (`Succeeded` or `Failed`).
    var isFinished: Bool { phase == "Succeeded" || phase == "Failed" }

    /// The pod's `Ready` condition, if reported.
    var readyCondition: CoreV1.PodCondition? { status?.conditions?.first { $0.type == "Ready" } }

    /// Whether the `Ready` condition is `True` (upstream's `IsPodReady`).
    var isReady: Bool { readyCondition?.status == "True" }

    /// Not finished and not being deleted: counts towards replicas (upstream's `IsPodActive`).
    var isActive: Bool { !isFinished && !isBeingDeleted }

    /// Being deleted and not finished (upstream's terminating pods).
    var isTerminating: Bool { isBeingDeleted && !isFinished }

    /// Since when the pod is ready (the `Ready` condition's last transition), if ready.
    var readySince: Timestamp? { isReady ? readyCondition?.lastTransitionTime : nil }

    /// Ready for at least `minReadySeconds` at `now` (upstream's `IsPodAvailable`).
    func isAvailable(minReadySeconds: Int64, now: Timestamp) -> Bool {
        guard isReady else { return false }
        guard minReadySeconds > 0 else { return true }
        guard let since = readySince else { return false }
        return since.adding(seconds: minReadySeconds) <= now
    }

    /// The sum of the containers' restart counts.
    var restartCount: Int64 { (status?.containerStatuses ?? []).reduce(0) { $0 + Int64($1.restartCount) } }

    /// When the pod finished: the latest container termination, if reported.
    var finishTime: Timestamp? {
        (status?.containerStatuses ?? []).compactMap { $0.state?.terminated?.finishedAt }.max()
    }

    /// The pod with a `DisruptionTarget: True` condition (replacing an earlier one) saying why it
    /// is about to be deleted, as upstream's taint manager and pod GC write it.
    func withDisruptionTarget(reason: String, message: String, now: Timestamp) -> CoreV1.Pod {
        var pod = self
        var status = pod.status ?? CoreV1.PodStatus()
        var conditions = (status.conditions ?? []).filter { $0.type != "DisruptionTarget" }
        conditions.append(CoreV1.PodCondition(lastTransitionTime: now, message: message, reason: reason, status: "True", type: "DisruptionTarget"))
        status.conditions = conditions
        pod.status = status
        return pod
    }
}
