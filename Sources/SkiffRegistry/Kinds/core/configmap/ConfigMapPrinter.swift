import SkiffAPI

extension ConfigMapStrategy {
    var tableColumns: [TableColumn] { [.name, TableColumn("Data"), .age] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let count = (object["data"]?.objectValue?.count ?? 0) + (object["binaryData"]?.objectValue?.count ?? 0)
        return [.string(object.name ?? ""), .int(Int64(count)), .string(Age.since(object, now: now))]
    }
}
