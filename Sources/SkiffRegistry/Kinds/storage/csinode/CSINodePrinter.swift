import SkiffAPI

extension CSINodeStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Drivers", type: "integer", description: "Drivers indicates the number of CSI drivers registered on the node"), .age]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .int(Int64(object.elements(at: "spec", "drivers").count)), .string(Age.since(object, now: now))]
    }
}
