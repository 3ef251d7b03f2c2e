import SkiffAPI

/// ReplicaSets.
struct ReplicaSetStrategy: WorkloadStrategy {
    var scalePaths: ScalePaths? { ScalePaths() }

    func prepareForCreate(_ object: inout JSONValue) { object["status"] = ["replicas": 0] }

    func applyDefaults(to object: inout JSONValue) {
        PodSpecDefaults.setIfMissing(&object, "spec", .emptyObject)
        if object[path: "spec", "replicas"] == nil { object[path: "spec", "replicas"] = 1 }
        WorkloadSupport.applyTemplateDefaults(&object)
    }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Desired", type: "integer"), TableColumn("Current", type: "integer"), TableColumn("Ready", type: "integer"), .age]
            + WorkloadSupport.wideColumns
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .int(WorkloadSupport.int(object, "spec", "replicas")), .int(WorkloadSupport.int(object, "status", "replicas")),
         .int(WorkloadSupport.int(object, "status", "readyReplicas")), .string(Age.since(object, now: now))]
            + WorkloadSupport.wideCells(object)
    }
}
