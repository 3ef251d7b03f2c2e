import SkiffAPI

extension StatefulSetStrategy {
    var tableColumns: [TableColumn] { [.name, .readyReplicas, .age, .containers, .images] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .string("\(object.intValue(at: "status", "readyReplicas"))/\(object.intValue(at: "spec", "replicas"))"),
         .string(Age.since(object, now: now))] + TableFormat.containerCells(object[path: "spec", "template"])
    }
}
