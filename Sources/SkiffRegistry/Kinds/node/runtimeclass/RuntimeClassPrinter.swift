import SkiffAPI

extension RuntimeClassStrategy {
    var tableColumns: [TableColumn] { [.name, TableColumn("Handler"), .age] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .string(object.stringValue(at: "handler")), .string(Age.since(object, now: now))]
    }
}
