import SkiffAPI

/// CustomResourceDefinitions (stored; serving custom resources comes later).
struct CustomResourceDefinitionStrategy: ResourceStrategy {
    var tracksGeneration: Bool { true }
    func prepareForCreate(_ object: inout JSONValue) { object["status"] = nil }
    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) { object["status"] = old["status"] }

    var tableColumns: [TableColumn] { [.name, TableColumn("Created At", type: "date")] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), object[path: "metadata", "creationTimestamp"] ?? ""]
    }
}
