import SkiffAPI

extension PriorityClassStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Value", type: "integer", description: "The integer value of this priority class"),
         TableColumn("Global-Default", type: "boolean", description: "Whether this priority class is the cluster default"), .age,
         TableColumn("PreemptionPolicy", description: "The policy for preempting pods with lower priority")]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .int(object.intValue(at: "value")), .bool(object["globalDefault"]?.boolValue ?? false),
         .string(Age.since(object, now: now)), .string(object.stringValue(at: "preemptionPolicy"))]
    }
}
