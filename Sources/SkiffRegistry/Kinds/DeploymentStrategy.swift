import SkiffAPI

/// Deployments.
struct DeploymentStrategy: WorkloadStrategy {
    var scalePaths: ScalePaths? { ScalePaths() }

    func prepareForCreate(_ object: inout JSONValue) { object["status"] = .emptyObject }

    func applyDefaults(to object: inout JSONValue) {
        var spec = object["spec"] ?? .emptyObject
        PodSpecDefaults.setIfMissing(&spec, "replicas", 1)
        PodSpecDefaults.setIfMissing(&spec, "strategy", ["type": "RollingUpdate"])
        if spec[path: "strategy", "type"]?.stringValue == "RollingUpdate" {
            var rolling = spec[path: "strategy", "rollingUpdate"] ?? .emptyObject
            PodSpecDefaults.setIfMissing(&rolling, "maxUnavailable", "25%")
            PodSpecDefaults.setIfMissing(&rolling, "maxSurge", "25%")
            spec[path: "strategy", "rollingUpdate"] = rolling
        }
        PodSpecDefaults.setIfMissing(&spec, "revisionHistoryLimit", 10)
        PodSpecDefaults.setIfMissing(&spec, "progressDeadlineSeconds", 600)
        object["spec"] = spec
        WorkloadSupport.applyTemplateDefaults(&object)
    }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Ready"), TableColumn("Up-to-date", type: "integer"), TableColumn("Available", type: "integer"), .age]
            + WorkloadSupport.wideColumns
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let ready = WorkloadSupport.int(object, "status", "readyReplicas")
        let desired = WorkloadSupport.int(object, "spec", "replicas")
        return [.string(object.name ?? ""), .string("\(ready)/\(desired)"), .int(WorkloadSupport.int(object, "status", "updatedReplicas")),
                .int(WorkloadSupport.int(object, "status", "availableReplicas")), .string(Age.since(object, now: now))]
            + WorkloadSupport.wideCells(object)
    }
}
