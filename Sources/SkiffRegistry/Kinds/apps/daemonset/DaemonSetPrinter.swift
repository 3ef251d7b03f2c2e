import SkiffAPI

extension DaemonSetStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Desired", type: "integer"), TableColumn("Current", type: "integer"), TableColumn("Ready", type: "integer"),
         TableColumn("Up-to-date", type: "integer"), TableColumn("Available", type: "integer"), TableColumn("Node Selector"), .age,
         .containers, .images, .selector]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let counts = ["desiredNumberScheduled", "currentNumberScheduled", "numberReady", "updatedNumberScheduled", "numberAvailable"]
        return [.string(object.name ?? "")] + counts.map { .int(object.intValue(at: "status", $0)) }
            + [.string(TableFormat.labels(object.stringMap(at: "spec", "template", "spec", "nodeSelector"))), .string(Age.since(object, now: now))]
            + TableFormat.containerCells(object[path: "spec", "template"])
            + [.string(TableFormat.labelSelector(object[path: "spec", "selector"]))]
    }
}
