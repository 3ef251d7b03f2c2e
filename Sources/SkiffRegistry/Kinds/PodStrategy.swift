import SkiffAPI

/// Pods: defaults, `Pending` on create, mostly immutable spec, graceful deletion once bound to a
/// node, and kubectl's STATUS/READY/RESTARTS columns.
struct PodStrategy: ResourceStrategy {
    var returnsDeletedObject: Bool { true }

    var selectableFields: [String] {
        ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
         "status.phase", "status.podIP", "status.nominatedNodeName"]
    }

    func fieldValues(of object: JSONValue) -> [String: String] {
        [
            "spec.nodeName": object[path: "spec", "nodeName"]?.stringValue ?? "",
            "spec.restartPolicy": object[path: "spec", "restartPolicy"]?.stringValue ?? "",
            "spec.schedulerName": object[path: "spec", "schedulerName"]?.stringValue ?? "",
            "spec.serviceAccountName": object[path: "spec", "serviceAccountName"]?.stringValue ?? "",
            "spec.hostNetwork": (object[path: "spec", "hostNetwork"]?.boolValue ?? false) ? "true" : "false",
            "status.phase": object[path: "status", "phase"]?.stringValue ?? "",
            "status.podIP": object[path: "status", "podIP"]?.stringValue ?? "",
            "status.nominatedNodeName": object[path: "status", "nominatedNodeName"]?.stringValue ?? "",
        ]
    }

    func applyDefaults(to object: inout JSONValue) {
        var spec = object["spec"] ?? .emptyObject
        PodSpecDefaults.apply(to: &spec)
        PodSpecDefaults.setIfMissing(&spec, "serviceAccountName", "default")
        PodSpecDefaults.setIfMissing(&spec, "serviceAccount", "default")
        PodSpecDefaults.setIfMissing(&spec, "enableServiceLinks", true)
        PodSpecDefaults.setIfMissing(&spec, "priority", 0)
        PodSpecDefaults.setIfMissing(&spec, "preemptionPolicy", "PreemptLowerPriority")
        object["spec"] = spec
    }

    func prepareForCreate(_ object: inout JSONValue) {
        object["status"] = ["phase": "Pending", "qosClass": .string(PodQOS.classify(object["spec"]))]
    }

    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) {
        object["status"] = old["status"]
    }

    func validate(_ object: JSONValue) -> [FieldError] {
        PodSpecDefaults.validate(object["spec"], path: "spec")
    }

    /// Only images, `activeDeadlineSeconds` and added tolerations may change, as upstream.
    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        func mutableFieldsCleared(_ spec: JSONValue?) -> JSONValue {
            var spec = spec ?? .emptyObject
            for field in ["containers", "initContainers"] {
                guard var containers = spec[field]?.arrayValue else { continue }
                for index in containers.indices { containers[index]["image"] = nil }
                spec[field] = .array(containers)
            }
            spec["activeDeadlineSeconds"] = nil
            spec["tolerations"] = nil
            return spec
        }
        guard mutableFieldsCleared(object["spec"]) == mutableFieldsCleared(old["spec"]) else {
            return [.forbidden("spec", "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)")]
        }
        return []
    }

    /// Unscheduled and finished pods go at once; running ones get their termination grace period.
    func defaultGracePeriod(for object: JSONValue) -> Int64? {
        let node = object[path: "spec", "nodeName"]?.stringValue ?? ""
        let phase = object[path: "status", "phase"]?.stringValue ?? ""
        if node.isEmpty || phase == "Succeeded" || phase == "Failed" { return nil }
        return object[path: "spec", "terminationGracePeriodSeconds"]?.intValue ?? 30
    }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Ready"), TableColumn("Status"), TableColumn("Restarts", type: "string"), .age,
         TableColumn("IP", priority: 1), TableColumn("Node", priority: 1), TableColumn("Nominated Node", priority: 1),
         TableColumn("Readiness Gates", priority: 1)]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let row = PodPrinter(pod: object, now: now)
        let status = object["status"] ?? .emptyObject
        let gates = object[path: "spec", "readinessGates"]?.arrayValue ?? []
        var gatesCell = "<none>"
        if !gates.isEmpty {
            let conditions = status["conditions"]?.arrayValue ?? []
            let ready = gates.filter { gate in
                conditions.contains { $0["type"] == gate["conditionType"] && $0["status"] == "True" }
            }.count
            gatesCell = "\(ready)/\(gates.count)"
        }
        return [
            .string(object.name ?? ""), .string("\(row.readyContainers)/\(row.totalContainers)"), .string(row.reason),
            .string(row.restartsText), .string(Age.since(object, now: now)),
            .string(nonEmpty(status["podIP"]?.stringValue)), .string(nonEmpty(object[path: "spec", "nodeName"]?.stringValue)),
            .string(nonEmpty(status["nominatedNodeName"]?.stringValue)), .string(gatesCell),
        ]
    }

    private func nonEmpty(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "<none>" }
        return text
    }
}

/// The pod QoS class from its containers' requests and limits.
enum PodQOS {
    static func classify(_ spec: JSONValue?) -> String {
        let containers = (spec?["containers"]?.arrayValue ?? []) + (spec?["initContainers"]?.arrayValue ?? [])
        var anySet = false
        var guaranteed = true
        for container in containers {
            let requests = container[path: "resources", "requests"]?.objectValue ?? [:]
            let limits = container[path: "resources", "limits"]?.objectValue ?? [:]
            if !requests.isEmpty || !limits.isEmpty { anySet = true }
            for resource in ["cpu", "memory"] {
                guard let limit = limits[resource] else {
                    guaranteed = false
                    continue
                }
                if let request = requests[resource], request != limit { guaranteed = false }
            }
        }
        if !anySet { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }
}
