import SkiffAPI

extension ControllerRevisionStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Controller", description: "Controller of the object"), TableColumn("Revision", type: "integer"), .age]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .string(Self.controller(of: object)), .int(object[path: "revision"]?.intValue ?? 0),
         .string(Age.since(object, now: now))]
    }
}
