import SkiffAPI
import SkiffModels

/// Job state as the job, cron job and TTL-after-finished controllers judge it (upstream's
/// `IsJobFinished` and friends).
extension BatchV1.Job {
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
