import SkiffAPI

/// kubectl's view of a pod's state: the READY count, the STATUS reason and the RESTARTS text,
/// computed as upstream's pod printer does.
struct PodPrinter {
    var readyContainers = 0
    var totalContainers = 0
    var reason: String
    var restarts: Int64 = 0
    var lastRestart: Timestamp?
    let now: Timestamp

    init(pod: JSONValue, now: Timestamp) {
        self.now = now
        let status = pod["status"] ?? .emptyObject
        totalContainers = pod[path: "spec", "containers"]?.arrayValue?.count ?? 0
        reason = status["phase"]?.stringValue ?? ""
        if let statusReason = status["reason"]?.stringValue, !statusReason.isEmpty { reason = statusReason }
        let conditions = status["conditions"]?.arrayValue ?? []
        if conditions.contains(where: { $0["type"] == "PodScheduled" && $0["reason"] == "SchedulingGated" }) {
            reason = "SchedulingGated"
        }
        var initializing = false
        let initStatuses = status["initContainerStatuses"]?.arrayValue ?? []
        let initCount = pod[path: "spec", "initContainers"]?.arrayValue?.count ?? 0
        for (index, container) in initStatuses.enumerated() {
            count(restartsOf: container)
            if let terminated = container[path: "state", "terminated"], terminated["exitCode"]?.intValue == 0 { continue }
            initializing = true
            if let terminated = container[path: "state", "terminated"] {
                if let text = terminated["reason"]?.stringValue, !text.isEmpty {
                    reason = "Init:" + text
                } else if let signal = terminated["signal"]?.intValue, signal != 0 {
                    reason = "Init:Signal:\(signal)"
                } else {
                    reason = "Init:ExitCode:\(terminated["exitCode"]?.intValue ?? 0)"
                }
            } else if let waiting = container[path: "state", "waiting", "reason"]?.stringValue, !waiting.isEmpty, waiting != "PodInitializing" {
                reason = "Init:" + waiting
            } else {
                reason = "Init:\(index)/\(initCount)"
            }
            break
        }
        let initialized = conditions.contains { $0["type"] == "Initialized" && $0["status"] == "True" }
        if !initializing || initialized {
            restarts = 0
            lastRestart = nil
            var hasRunning = false
            for container in (status["containerStatuses"]?.arrayValue ?? []).reversed() {
                count(restartsOf: container)
                if let waiting = container[path: "state", "waiting", "reason"]?.stringValue, !waiting.isEmpty {
                    reason = waiting
                } else if let terminated = container[path: "state", "terminated"] {
                    if let text = terminated["reason"]?.stringValue, !text.isEmpty {
                        reason = text
                    } else if let signal = terminated["signal"]?.intValue, signal != 0 {
                        reason = "Signal:\(signal)"
                    } else {
                        reason = "ExitCode:\(terminated["exitCode"]?.intValue ?? 0)"
                    }
                } else if container["ready"]?.boolValue == true, container[path: "state", "running"] != nil {
                    hasRunning = true
                    readyContainers += 1
                }
            }
            if reason == "Completed" && hasRunning {
                let ready = conditions.contains { $0["type"] == "Ready" && $0["status"] == "True" }
                reason = ready ? "Running" : "NotReady"
            }
        }
        if pod.deletionTimestamp != nil {
            reason = status["reason"]?.stringValue == "NodeLost" ? "Unknown" : "Terminating"
        }
    }

    private mutating func count(restartsOf container: JSONValue) {
        restarts += container["restartCount"]?.intValue ?? 0
        if let finished = container[path: "lastState", "terminated", "finishedAt"]?.stringValue.flatMap(Timestamp.init(rfc3339:)),
           lastRestart.map({ finished > $0 }) ?? true {
            lastRestart = finished
        }
    }

    /// `3` or `3 (5m ago)`.
    var restartsText: String {
        guard restarts > 0, let lastRestart else { return String(restarts) }
        return "\(restarts) (\(Age.format(seconds: now.seconds - lastRestart.seconds)) ago)"
    }
}
