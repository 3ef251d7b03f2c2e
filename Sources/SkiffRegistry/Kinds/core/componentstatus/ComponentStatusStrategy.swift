import SkiffAPI

/// ComponentStatuses (core/v1, deprecated, read-only): the health of the scheduler, the
/// controller manager and etcd, which the bootstrap records (see `ClusterBootstrap`).
struct ComponentStatusStrategy: ResourceStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Status", description: "Status of the component conditions"),
         TableColumn("Message", description: "Message of the component conditions"),
         TableColumn("Error", description: "Error of the component conditions")]
    }

    /// The first `Healthy` condition: `Healthy`, `Unhealthy` or `Unknown`, with its message and error.
    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let condition = object.elements(at: "conditions").first { $0.stringValue(at: "type") == "Healthy" }
        let status = switch condition?.stringValue(at: "status") {
        case "True": "Healthy"
        case "False": "Unhealthy"
        default: "Unknown"
        }
        return [.string(object.name ?? ""), .string(status), .string(condition?.stringValue(at: "message") ?? ""),
                .string(condition?.stringValue(at: "error") ?? "")]
    }
}
