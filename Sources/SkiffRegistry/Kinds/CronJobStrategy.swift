import SkiffAPI

/// CronJobs.
struct CronJobStrategy: ResourceStrategy {
    var tracksGeneration: Bool { true }

    func prepareForCreate(_ object: inout JSONValue) { object["status"] = .emptyObject }
    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) { object["status"] = old["status"] }

    func applyDefaults(to object: inout JSONValue) {
        var spec = object["spec"] ?? .emptyObject
        PodSpecDefaults.setIfMissing(&spec, "concurrencyPolicy", "Allow")
        PodSpecDefaults.setIfMissing(&spec, "suspend", false)
        PodSpecDefaults.setIfMissing(&spec, "successfulJobsHistoryLimit", 3)
        PodSpecDefaults.setIfMissing(&spec, "failedJobsHistoryLimit", 1)
        if var template = spec[path: "jobTemplate", "spec", "template", "spec"] {
            PodSpecDefaults.apply(to: &template)
            spec[path: "jobTemplate", "spec", "template", "spec"] = template
        }
        object["spec"] = spec
    }

    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        if (object[path: "spec", "schedule"]?.stringValue ?? "").isEmpty { errors.append(.required("spec.schedule")) }
        errors += PodSpecDefaults.validate(object[path: "spec", "jobTemplate", "spec", "template", "spec"], path: "spec.jobTemplate.spec.template.spec")
        return errors
    }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Schedule"), TableColumn("Timezone"), TableColumn("Suspend", type: "boolean"), TableColumn("Active", type: "integer"),
         TableColumn("Last Schedule"), .age] + WorkloadSupport.wideColumns
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let last = object[path: "status", "lastScheduleTime"]?.stringValue
        let jobTemplate: JSONValue = ["spec": object[path: "spec", "jobTemplate", "spec"] ?? .emptyObject]
        return [.string(object.name ?? ""), object[path: "spec", "schedule"] ?? "", .string(object[path: "spec", "timeZone"]?.stringValue ?? "<none>"),
                .bool(object[path: "spec", "suspend"]?.boolValue ?? false), .int(Int64(object[path: "status", "active"]?.arrayValue?.count ?? 0)),
                .string(last == nil ? "<none>" : Age.since(rfc3339: last, now: now)), .string(Age.since(object, now: now))]
            + WorkloadSupport.wideCells(jobTemplate)
    }
}
