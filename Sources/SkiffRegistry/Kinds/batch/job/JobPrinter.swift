import SkiffAPI

extension JobStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Status", description: "Status of the job."), TableColumn("Completions"),
         TableColumn("Duration", description: "Time required to complete the job."), .age, .containers, .images, .selector]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let succeeded = object.intValue(at: "status", "succeeded")
        let completions: String
        if let desired = object[path: "spec", "completions"]?.intValue {
            completions = "\(succeeded)/\(desired)"
        } else if let parallelism = object[path: "spec", "parallelism"]?.intValue, parallelism > 1 {
            completions = "\(succeeded)/1 of \(parallelism)"
        } else {
            completions = "\(succeeded)/1"
        }
        var duration = ""
        if let start = Timestamp(rfc3339: object.stringValue(at: "status", "startTime")) {
            let end = Timestamp(rfc3339: object.stringValue(at: "status", "completionTime")) ?? now
            duration = Age.format(seconds: end.seconds - start.seconds)
        }
        return [.string(object.name ?? ""), .string(status(of: object)), .string(completions), .string(duration), .string(Age.since(object, now: now))]
            + TableFormat.containerCells(object[path: "spec", "template"])
            + [.string(TableFormat.labelSelector(object[path: "spec", "selector"]))]
    }

    /// The STATUS cell: the first matching of Complete, Failed, Terminating, Suspended,
    /// FailureTarget, SuccessCriteriaMet, else Running.
    func status(of object: JSONValue) -> String {
        let conditions = object.elements(at: "status", "conditions")
        func holds(_ type: String) -> Bool {
            conditions.first { $0["type"]?.stringValue == type }?["status"] == "True"
        }
        if holds("Complete") { return "Complete" }
        if holds("Failed") { return "Failed" }
        if object.deletionTimestamp != nil { return "Terminating" }
        return ["Suspended", "FailureTarget", "SuccessCriteriaMet"].first(where: holds) ?? "Running"
    }
}
