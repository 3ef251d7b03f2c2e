import SkiffAPI

/// DaemonSets (apps/v1): rolling updates replace one node at a time by default; the
/// DESIRED/CURRENT/READY/UP-TO-DATE/AVAILABLE/NODE SELECTOR columns.
struct DaemonSetStrategy: WorkloadStrategy {
    var initialStatus: JSONValue { ["currentNumberScheduled": 0, "desiredNumberScheduled": 0, "numberMisscheduled": 0, "numberReady": 0] }
}
