import SkiffAPI

extension NamespaceStrategy {
    var tableColumns: [TableColumn] { [.name, TableColumn("Status", description: "The status of the namespace"), .age] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .string(object.stringValue(at: "status", "phase")), .string(Age.since(object, now: now))]
    }
}
