import SkiffAPI

extension APIServiceStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Service", description: "The reference to the service that hosts this API endpoint."),
         TableColumn("Available", description: "Whether this service is available."), .age]
    }

    /// SERVICE is `namespace/name` or `Local`; AVAILABLE the `Available` condition's status, with
    /// its reason when not `True`.
    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        var service = "Local"
        if let reference = object[path: "spec", "service"], reference != .null {
            service = reference.stringValue(at: "namespace") + "/" + reference.stringValue(at: "name")
        }
        var available = "Unknown"
        if let condition = object.elements(at: "status", "conditions").first(where: { $0.stringValue(at: "type") == "Available" }) {
            available = condition.stringValue(at: "status")
            if available != "True" { available += " (\(condition.stringValue(at: "reason")))" }
        }
        return [.string(object.name ?? ""), .string(service), .string(available), .string(Age.since(object, now: now))]
    }
}
