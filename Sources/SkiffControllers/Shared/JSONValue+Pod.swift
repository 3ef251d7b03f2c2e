import SkiffAPI

/// Pod state as the workload controllers judge it.
extension JSONValue {
    /// `status.phase`, `Pending` when unset.
    var podPhase: String { self[path: "status", "phase"]?.stringValue ?? "Pending" }

    /// Not finished (`Succeeded`/`Failed`) and not being deleted: counts towards replicas.
    var isActivePod: Bool {
        podPhase != "Succeeded" && podPhase != "Failed" && deletionTimestamp == nil
    }

    /// The pod's `Ready` condition, if reported.
    var podReadyCondition: JSONValue? {
        self[path: "status", "conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "Ready" }
    }

    /// Whether the `Ready` condition is `True`.
    var isPodReady: Bool { podReadyCondition?["status"]?.stringValue == "True" }

    /// Since when the pod is ready (the `Ready` condition's last transition), if ready.
    var readySince: Timestamp? {
        guard isPodReady, let text = podReadyCondition?["lastTransitionTime"]?.stringValue else { return nil }
        return Timestamp(rfc3339: text)
    }

    /// Ready for at least `minReadySeconds` at `now`.
    func isPodAvailable(minReadySeconds: Int64, now: Timestamp) -> Bool {
        guard isPodReady else { return false }
        guard minReadySeconds > 0 else { return true }
        guard let since = readySince else { return false }
        return since.adding(seconds: minReadySeconds) <= now
    }

    /// The creation time, if known.
    var creationTimestamp: Timestamp? {
        self[path: "metadata", "creationTimestamp"]?.stringValue.flatMap(Timestamp.init(rfc3339:))
    }

    /// The sum of the containers' restart counts.
    var restartCount: Int64 {
        (self[path: "status", "containerStatuses"]?.arrayValue ?? []).reduce(0) { $0 + ($1["restartCount"]?.intValue ?? 0) }
    }
}
