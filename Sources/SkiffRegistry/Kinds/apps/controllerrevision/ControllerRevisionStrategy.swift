import SkiffAPI

/// ControllerRevisions (apps/v1): immutable snapshots of a StatefulSet's or DaemonSet's
/// template. `data` is required and never changes once written, `revision` is not negative;
/// `CONTROLLER` names the controlling object as `kind.group/name`, as upstream's printer does.
struct ControllerRevisionStrategy: ResourceStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        if object["data"] == nil || object["data"] == .null { errors.append(.required("data", "data is mandatory")) }
        return errors + FieldRules.nonNegative(object, [["revision"]])
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        FieldRules.immutable(object, old: old, [["data"]])
    }

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
