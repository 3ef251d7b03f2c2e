import SkiffAPI

extension CSIStorageCapacityStrategy {
    var tableColumns: [TableColumn] { [.name, TableColumn("StorageClassName"), TableColumn("Capacity")] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .string(object.stringValue(at: "storageClassName")),
         .string(object["capacity"]?.stringValue ?? "<unset>")]
    }
}
