import SkiffAPI

/// events.k8s.io/v1 Events: another view of the core/v1 Events in the same storage, as upstream
/// (an event written through either API is read through both). Converts field by field.
struct EventsV1Strategy: ResourceStrategy {
    var nameRule: NameValidation.Rule { .pathSegment }

    /// events.k8s.io/v1 field ↔ core/v1 field.
    private static let renames = [
        ("regarding", "involvedObject"), ("note", "message"), ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"), ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedCount", "count"),
    ]

    func toStorage(_ object: JSONValue) -> JSONValue {
        var stored = object
        for (served, storedName) in Self.renames {
            stored[storedName] = stored[served]
            stored[served] = nil
        }
        stored.apiVersion = "v1"
        return stored
    }

    func fromStorage(_ object: JSONValue) -> JSONValue {
        var served = object
        for (servedName, stored) in Self.renames {
            served[servedName] = served[stored]
            served[stored] = nil
        }
        if served["reportingController"] == nil, let component = served[path: "deprecatedSource", "component"] {
            served["reportingController"] = component
        }
        served.apiVersion = "events.k8s.io/v1"
        return served
    }

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
