import SkiffAPI

/// DaemonSets.
struct DaemonSetStrategy: WorkloadStrategy {
    func prepareForCreate(_ object: inout JSONValue) {
        object["status"] = ["currentNumberScheduled": 0, "desiredNumberScheduled": 0, "numberMisscheduled": 0, "numberReady": 0]
    }

    func applyDefaults(to object: inout JSONValue) {
        var spec = object["spec"] ?? .emptyObject
        PodSpecDefaults.setIfMissing(&spec, "updateStrategy", ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 1, "maxSurge": 0]])
        PodSpecDefaults.setIfMissing(&spec, "revisionHistoryLimit", 10)
        object["spec"] = spec
        WorkloadSupport.applyTemplateDefaults(&object)
    }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Desired", type: "integer"), TableColumn("Current", type: "integer"), TableColumn("Ready", type: "integer"),
         TableColumn("Up-to-date", type: "integer"), TableColumn("Available", type: "integer"), TableColumn("Node Selector"), .age]
            + WorkloadSupport.wideColumns
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let nodeSelector = (object[path: "spec", "template", "spec", "nodeSelector"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.stringValue ?? "")" }.joined(separator: ",")
        return [.string(object.name ?? ""), .int(WorkloadSupport.int(object, "status", "desiredNumberScheduled")),
                .int(WorkloadSupport.int(object, "status", "currentNumberScheduled")), .int(WorkloadSupport.int(object, "status", "numberReady")),
                .int(WorkloadSupport.int(object, "status", "updatedNumberScheduled")), .int(WorkloadSupport.int(object, "status", "numberAvailable")),
                .string(nodeSelector.isEmpty ? "<none>" : nodeSelector), .string(Age.since(object, now: now))]
            + WorkloadSupport.wideCells(object)
    }
}
