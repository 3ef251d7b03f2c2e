import SkiffAPI

extension LimitRangeStrategy {
    var tableColumns: [TableColumn] { [.name, .createdAt] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] { TableFormat.nameAndCreatedAt(object) }
}
