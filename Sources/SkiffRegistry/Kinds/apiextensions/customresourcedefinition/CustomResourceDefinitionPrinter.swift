import SkiffAPI

extension CustomResourceDefinitionStrategy {
    public var tableColumns: [TableColumn] {
        [.name, TableColumn("Created At", type: "date", description: "Time since the object was created.")]
    }

    public func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), object[path: "metadata", "creationTimestamp"] ?? ""]
    }
}
