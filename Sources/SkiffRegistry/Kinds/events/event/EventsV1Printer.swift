import SkiffAPI

extension EventsV1Strategy {
    var tableColumns: [TableColumn] { core.tableColumns }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        core.tableCells(for: toStorage(object), now: now)
    }
}
