import SkiffAPI
import SkiffModels

/// Job state as the job, cron job and TTL-after-finished controllers judge it (upstream's
/// `IsJobFinished` and friends).
extension BatchV1.Job {
    /// The finalizer that keeps a job's pods until the job controller has counted them.
    static let trackingFinalizer = "batch.kubernetes.io/job-tracking"

    /// Whether `spec.suspend` is set.
    var isSuspended: Bool { spec?.suspend == true }

    /// Whether the job's completion mode is `Indexed`.
    var isIndexed: Bool { spec?.completionMode == "Indexed" }

    /// Whether the job's condition `type` is `True`.
    func hasTrueCondition(_ type: String) -> Bool { condition(type)?.status == "True" }

    /// The job's condition of `type`, if any.
    func condition(_ type: String) -> BatchV1.JobCondition? {
        status?.conditions?.first { $0.type == type }
    }

    /// The job's terminal condition (`Complete` or `Failed`, `True`), if it finished.
    var finishedCondition: BatchV1.JobCondition? {
        ["Complete", "Failed"].lazy.compactMap { self.condition($0) }.first { $0.status == "True" }
    }

    /// Whether the job finished, successfully or not.
    var isFinished: Bool { finishedCondition != nil }

    /// When the job finished: its terminal condition's last transition.
    var finishTime: Timestamp? { finishedCondition?.lastTransitionTime }
}

extension BatchV1.JobCondition {
    /// A job condition as the controllers write them, probed and transitioned at `now`.
    static func make(type: String, status: String = "True", reason: String, message: String, now: Timestamp) -> BatchV1.JobCondition {
        BatchV1.JobCondition(lastProbeTime: now, lastTransitionTime: now, message: message, reason: reason, status: status, type: type)
    }
}
