import SkiffAPI

extension FlowSchemaStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("PriorityLevel"), TableColumn("MatchingPrecedence"), TableColumn("DistinguisherMethod"), .age,
         TableColumn("MissingPL", description: "references a broken or non-existent PriorityLevelConfiguration")]
    }

    /// MISSINGPL is the `Dangling` condition's status, `?` before the first evaluation.
    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let dangling = object.elements(at: "status", "conditions").first { $0.stringValue(at: "type") == "Dangling" }
        let method = object[path: "spec", "distinguisherMethod", "type"]?.stringValue ?? "<none>"
        return [.string(object.name ?? ""), .string(object.stringValue(at: "spec", "priorityLevelConfiguration", "name")),
                .int(object.intValue(at: "spec", "matchingPrecedence")), .string(method), .string(Age.since(object, now: now)),
                .string(dangling?.stringValue(at: "status") ?? "?")]
    }
}
