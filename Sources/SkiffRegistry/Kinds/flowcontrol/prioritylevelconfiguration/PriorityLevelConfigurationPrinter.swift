import SkiffAPI

extension PriorityLevelConfigurationStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Type"), TableColumn("NominalConcurrencyShares"), TableColumn("Queues"), TableColumn("HandSize"),
         TableColumn("QueueLengthLimit"), .age]
    }

    /// The limited level's figures, `<none>` for exempt levels and levels that do not queue.
    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let limited = object[path: "spec", "limited"]
        let queuing = limited?[path: "limitResponse", "queuing"]
        func cell(_ value: JSONValue?) -> JSONValue { value?.intValue.map(JSONValue.int) ?? "<none>" }
        return [.string(object.name ?? ""), .string(object.stringValue(at: "spec", "type")), cell(limited?["nominalConcurrencyShares"]),
                cell(queuing?["queues"]), cell(queuing?["handSize"]), cell(queuing?["queueLengthLimit"]), .string(Age.since(object, now: now))]
    }
}
