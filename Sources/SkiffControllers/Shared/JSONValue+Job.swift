import SkiffAPI

/// Job state as the job, cron job and TTL-after-finished controllers judge it.
extension JSONValue {
    /// The finalizer that keeps a job's pods until the job controller has counted them.
    static let jobTrackingFinalizer = "batch.kubernetes.io/job-tracking"

    /// The job's condition of `type`, if any.
    func jobCondition(_ type: String) -> JSONValue? {
        self[path: "status", "conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }

    /// Whether the job's condition `type` is `True`.
    func hasTrueJobCondition(_ type: String) -> Bool {
        jobCondition(type)?["status"]?.stringValue == "True"
    }

    /// The job's terminal condition (`Complete` or `Failed`, `True`), if it finished.
    var jobFinishedCondition: JSONValue? {
        ["Complete", "Failed"].lazy.compactMap { self.jobCondition($0) }.first { $0["status"]?.stringValue == "True" }
    }

    /// Whether the job finished, successfully or not (upstream's `IsJobFinished`).
    var isJobFinished: Bool { jobFinishedCondition != nil }

    /// When the job finished: its terminal condition's last transition.
    var jobFinishTime: Timestamp? {
        jobFinishedCondition?["lastTransitionTime"]?.stringValue.flatMap(Timestamp.init(rfc3339:))
    }

    /// Whether `spec.suspend` is set.
    var isJobSuspended: Bool { self[path: "spec", "suspend"]?.boolValue == true }

    /// Whether the job's completion mode is `Indexed`.
    var isIndexedJob: Bool { self[path: "spec", "completionMode"]?.stringValue == "Indexed" }

    /// Whether the object carries `finalizer`.
    func hasFinalizer(_ finalizer: String) -> Bool { finalizers.contains(finalizer) }

    /// A pod being deleted that has not finished (upstream's terminating pods).
    var isTerminatingPod: Bool {
        deletionTimestamp != nil && podPhase != "Succeeded" && podPhase != "Failed"
    }

    /// When the pod finished: the latest container termination, if reported.
    var podFinishTime: Timestamp? {
        (self[path: "status", "containerStatuses"]?.arrayValue ?? [])
            .compactMap { $0[path: "state", "terminated", "finishedAt"]?.stringValue.flatMap(Timestamp.init(rfc3339:)) }
            .max()
    }

    /// A job condition as the controllers write them.
    static func jobCondition(type: String, status: String = "True", reason: String, message: String, now: Timestamp) -> JSONValue {
        [
            "type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
            "lastProbeTime": .string(now.rfc3339), "lastTransitionTime": .string(now.rfc3339),
        ]
    }
}
