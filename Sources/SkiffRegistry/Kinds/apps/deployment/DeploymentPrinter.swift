import SkiffAPI

extension DeploymentStrategy {
    var tableColumns: [TableColumn] {
        [.name, .readyReplicas, TableColumn("Up-to-date"), TableColumn("Available"), .age, .containers, .images, .selector]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let ready = object.intValue(at: "status", "readyReplicas")
        let desired = object.intValue(at: "spec", "replicas")
        // Upstream prints the selector's plain string here: empty rather than `<none>`.
        var selector = ""
        if let given = object[path: "spec", "selector"], given != .null {
            selector = (try? LabelSelector(selector: given))?.description ?? "<invalid>"
        }
        return [.string(object.name ?? ""), .string("\(ready)/\(desired)"), .int(object.intValue(at: "status", "updatedReplicas")),
                .int(object.intValue(at: "status", "availableReplicas")), .string(Age.since(object, now: now))]
            + TableFormat.containerCells(object[path: "spec", "template"]) + [.string(selector)]
    }
}
