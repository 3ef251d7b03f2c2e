import SkiffAPI

extension CronJobStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Schedule"), TableColumn("Timezone"), TableColumn("Suspend", type: "boolean"), TableColumn("Active", type: "integer"),
         TableColumn("Last Schedule"), .age, .containers, .images, .selector]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let lastSchedule = object[path: "status", "lastScheduleTime"]?.stringValue
        let jobSpec = object[path: "spec", "jobTemplate", "spec"]
        return [
            .string(object.name ?? ""), .string(object.stringValue(at: "spec", "schedule")),
            .string(object[path: "spec", "timeZone"]?.stringValue ?? "<none>"), .string(TableFormat.bool(object[path: "spec", "suspend"])),
            .int(Int64(object.elements(at: "status", "active").count)),
            .string(lastSchedule.map { Age.since(rfc3339: $0, now: now) } ?? "<none>"), .string(Age.since(object, now: now)),
        ] + TableFormat.containerCells(jobSpec?["template"]) + [.string(TableFormat.labelSelector(jobSpec?["selector"]))]
    }
}
