import SkiffAPI

/// events.k8s.io/v1 Events (kept in their own storage for now).
struct EventsV1Strategy: ResourceStrategy {
    var nameRule: NameValidation.Rule { .pathSegment }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Type"), TableColumn("Reason"), TableColumn("Regarding"), TableColumn("Note"), .age]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let regarding = object["regarding"] ?? .emptyObject
        return [
            .string(object.name ?? ""), object["type"] ?? "", object["reason"] ?? "",
            .string("\((regarding["kind"]?.stringValue ?? "").lowercased())/\(regarding["name"]?.stringValue ?? "")"),
            object["note"] ?? "", .string(Age.since(object, now: now)),
        ]
    }
}
