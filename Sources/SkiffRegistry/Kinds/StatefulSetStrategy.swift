import SkiffAPI

/// StatefulSets.
struct StatefulSetStrategy: WorkloadStrategy {
    var scalePaths: ScalePaths? { ScalePaths() }

    func prepareForCreate(_ object: inout JSONValue) { object["status"] = ["replicas": 0, "availableReplicas": 0] }

    func applyDefaults(to object: inout JSONValue) {
        var spec = object["spec"] ?? .emptyObject
        PodSpecDefaults.setIfMissing(&spec, "replicas", 1)
        PodSpecDefaults.setIfMissing(&spec, "podManagementPolicy", "OrderedReady")
        PodSpecDefaults.setIfMissing(&spec, "updateStrategy", ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]])
        PodSpecDefaults.setIfMissing(&spec, "revisionHistoryLimit", 10)
        PodSpecDefaults.setIfMissing(&spec, "persistentVolumeClaimRetentionPolicy", ["whenDeleted": "Retain", "whenScaled": "Retain"])
        object["spec"] = spec
        WorkloadSupport.applyTemplateDefaults(&object)
    }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Ready"), .age, TableColumn("Containers", priority: 1), TableColumn("Images", priority: 1)]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""),
         .string("\(WorkloadSupport.int(object, "status", "readyReplicas"))/\(WorkloadSupport.int(object, "spec", "replicas"))"),
         .string(Age.since(object, now: now))] + WorkloadSupport.wideCells(object, selector: false)
    }
}
