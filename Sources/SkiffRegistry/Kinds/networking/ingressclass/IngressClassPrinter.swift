import SkiffAPI

extension IngressClassStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Controller", description: "Controller that is responsible for handling this class"),
         TableColumn("Parameters", description: "A reference to a resource with additional parameters"), .age]
    }

    /// PARAMETERS is `Kind.apiGroup/name` (`Kind/name` without a group), or `<none>`.
    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        var parameters = "<none>"
        if let reference = object[path: "spec", "parameters"], reference != .null {
            let group = reference.stringValue(at: "apiGroup")
            parameters = reference.stringValue(at: "kind") + (group.isEmpty ? "" : "." + group) + "/" + reference.stringValue(at: "name")
        }
        return [.string(object.name ?? ""), .string(object.stringValue(at: "spec", "controller")), .string(parameters),
                .string(Age.since(object, now: now))]
    }
}
