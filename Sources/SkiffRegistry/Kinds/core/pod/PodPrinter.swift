import SkiffAPI

/// kubectl's view of a pod's state — the READY count, the STATUS reason and the RESTARTS text —
/// computed as upstream's pod printer does, sidecars (restartable init containers) included.
struct PodPrinter {
    private(set) var readyContainers = 0
    private(set) var totalContainers = 0
    private(set) var reason: String
    private var restarts: Int64 = 0
    private var lastRestart: Timestamp?
    private let now: Timestamp

    init(pod: JSONValue, now: Timestamp) {
        self.now = now
        let status = pod["status"] ?? .emptyObject
        let phase = status.stringValue(at: "phase")
        reason = status.stringValue(at: "reason").isEmpty ? phase : status.stringValue(at: "reason")
        let conditions = status.elements(at: "conditions")
        if conditions.contains(where: { $0["type"] == "PodScheduled" && $0["reason"] == "SchedulingGated" }) {
            reason = "SchedulingGated"
        }
        let initContainers = pod.elements(at: "spec", "initContainers")
        let sidecars = Set(initContainers.filter { $0["restartPolicy"] == "Always" }.map { $0.stringValue(at: "name") })
        totalContainers = pod.elements(at: "spec", "containers").count + sidecars.count

        var sidecarRestarts: Int64 = 0
        var lastSidecarRestart: Timestamp?
        var initializing = false
        for (index, container) in status.elements(at: "initContainerStatuses").enumerated() {
            let isSidecar = sidecars.contains(container.stringValue(at: "name"))
            Self.count(container, restarts: &restarts, last: &lastRestart)
            if isSidecar { Self.count(container, restarts: &sidecarRestarts, last: &lastSidecarRestart) }
            let terminated = container[path: "state", "terminated"]
            let waitingReason = container.stringValue(at: "state", "waiting", "reason")
            if let terminated, terminated.intValue(at: "exitCode") == 0 { continue }
            if isSidecar && container["started"]?.boolValue == true {
                if container["ready"]?.boolValue == true { readyContainers += 1 }
                continue
            }
            if let terminated {
                reason = "Init:" + Self.terminationReason(terminated)
            } else if !waitingReason.isEmpty && waitingReason != "PodInitializing" {
                reason = "Init:" + waitingReason
            } else {
                reason = "Init:\(index)/\(initContainers.count)"
            }
            initializing = true
            break
        }

        if !initializing || conditions.contains(where: { $0["type"] == "Initialized" && $0["status"] == "True" }) {
            restarts = sidecarRestarts
            lastRestart = lastSidecarRestart
            var hasRunning = false
            for container in status.elements(at: "containerStatuses").reversed() {
                Self.count(container, restarts: &restarts, last: &lastRestart)
                let waitingReason = container.stringValue(at: "state", "waiting", "reason")
                if !waitingReason.isEmpty {
                    reason = waitingReason
                } else if let terminated = container[path: "state", "terminated"] {
                    reason = Self.terminationReason(terminated)
                } else if container["ready"]?.boolValue == true && container[path: "state", "running"] != nil {
                    hasRunning = true
                    readyContainers += 1
                }
            }
            if reason == "Completed" && hasRunning {
                reason = conditions.contains { $0["type"] == "Ready" && $0["status"] == "True" } ? "Running" : "NotReady"
            }
        }

        if pod.deletionTimestamp != nil {
            if status.stringValue(at: "reason") == "NodeLost" {
                reason = "Unknown"
            } else if phase != "Succeeded" && phase != "Failed" {
                reason = "Terminating"
            }
        }
    }

    /// `Completed`, `Error`, … or `Signal:9` / `ExitCode:2` when the runtime gave no reason.
    private static func terminationReason(_ terminated: JSONValue) -> String {
        let reason = terminated.stringValue(at: "reason")
        if !reason.isEmpty { return reason }
        let signal = terminated.intValue(at: "signal")
        return signal != 0 ? "Signal:\(signal)" : "ExitCode:\(terminated.intValue(at: "exitCode"))"
    }

    /// Adds a container's restarts and keeps the latest time one of its runs finished.
    private static func count(_ container: JSONValue, restarts: inout Int64, last: inout Timestamp?) {
        restarts += container.intValue(at: "restartCount")
        if let finished = Timestamp(rfc3339: container.stringValue(at: "lastState", "terminated", "finishedAt")),
           last.map({ finished > $0 }) ?? true {
            last = finished
        }
    }

    /// The READY cell: `ready/total`.
    var readyText: String { "\(readyContainers)/\(totalContainers)" }

    /// The RESTARTS cell: `3`, or `3 (5m ago)` when the last restart's time is known.
    var restartsText: String {
        guard restarts != 0, let lastRestart else { return String(restarts) }
        return "\(restarts) (\(Age.format(seconds: now.seconds - lastRestart.seconds)) ago)"
    }
}

extension PodStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Ready", description: "The aggregate readiness state of this pod for accepting traffic."),
         TableColumn("Status", description: "The aggregate status of the containers in this pod."),
         TableColumn("Restarts", description: "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
         .age, TableColumn("IP", priority: 1), TableColumn("Node", priority: 1), TableColumn("Nominated Node", priority: 1),
         TableColumn("Readiness Gates", priority: 1)]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let printer = PodPrinter(pod: object, now: now)
        let gates = object.elements(at: "spec", "readinessGates")
        var gatesCell = "<none>"
        if !gates.isEmpty {
            let conditions = object.elements(at: "status", "conditions")
            let ready = gates.filter { gate in
                conditions.first { $0["type"] == gate["conditionType"] }?["status"] == "True"
            }.count
            gatesCell = "\(ready)/\(gates.count)"
        }
        return [
            .string(object.name ?? ""), .string(printer.readyText), .string(printer.reason), .string(printer.restartsText),
            .string(Age.since(object, now: now)),
            .string(TableFormat.orNone(object.elements(at: "status", "podIPs").first?.stringValue(at: "ip"))),
            .string(TableFormat.orNone(object.stringValue(at: "spec", "nodeName"))),
            .string(TableFormat.orNone(object.stringValue(at: "status", "nominatedNodeName"))), .string(gatesCell),
        ]
    }
}
