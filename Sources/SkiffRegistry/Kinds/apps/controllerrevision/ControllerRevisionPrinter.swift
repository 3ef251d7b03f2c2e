import SkiffAPI

extension ControllerRevisionStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Controller", description: "Controller of the object"), TableColumn("Revision", type: "integer"), .age]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .string(Self.controller(of: object)), .int(object[path: "revision"]?.intValue ?? 0),
         .string(Age.since(object, now: now))]
    }

    /// `statefulset.apps/web` for a revision controlled by StatefulSet `web`, `<none>` without a controller.
    static func controller(of object: JSONValue) -> String {
        guard let reference = object.ownerReferences.first(where: { $0["controller"] == true }),
            let kind = reference["kind"]?.stringValue, let name = reference["name"]?.stringValue
        else { return "<none>" }
        let group = GroupVersion(apiVersion: reference["apiVersion"]?.stringValue ?? "")?.group ?? ""
        return (group.isEmpty ? kind : "\(kind).\(group)").lowercased() + "/" + name
    }
}
