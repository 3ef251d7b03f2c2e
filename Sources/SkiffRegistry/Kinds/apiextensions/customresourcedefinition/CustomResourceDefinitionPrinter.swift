import SkiffAPI

extension CustomResourceDefinitionStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Created At", type: "date", description: "Time since the object was created.")]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), object[path: "metadata", "creationTimestamp"] ?? ""]
    }
}
