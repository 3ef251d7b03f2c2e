import SkiffAPI

/// ControllerRevisions (apps/v1): immutable snapshots of a StatefulSet's or DaemonSet's
/// template. `data` is required and never changes once written, `revision` is not negative;
/// `CONTROLLER` names the controlling object as `kind.group/name`, as upstream's printer does.
struct ControllerRevisionStrategy: ResourceStrategy {
    /// `statefulset.apps/web` for a revision controlled by StatefulSet `web`, `<none>` without a controller.
    static func controller(of object: JSONValue) -> String {
        guard let reference = object.ownerReferences.first(where: { $0["controller"] == true }),
            let kind = reference["kind"]?.stringValue, let name = reference["name"]?.stringValue
        else { return "<none>" }
        let group = GroupVersion(apiVersion: reference["apiVersion"]?.stringValue ?? "")?.group ?? ""
        return (group.isEmpty ? kind : "\(kind).\(group)").lowercased() + "/" + name
    }
}
