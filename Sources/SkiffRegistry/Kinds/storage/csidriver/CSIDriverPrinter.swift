import SkiffAPI

extension CSIDriverStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("AttachRequired", type: "boolean"), TableColumn("PodInfoOnMount", type: "boolean"),
         TableColumn("StorageCapacity", type: "boolean"), TableColumn("TokenRequests"), TableColumn("RequiresRepublish", type: "boolean"),
         TableColumn("Modes"), .age]
    }

    /// TOKENREQUESTS lists the audiences (`<unset>` without), MODES the lifecycle modes.
    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let audiences = object.elements(at: "spec", "tokenRequests").map { $0.stringValue(at: "audience") }
        let modes = object.elements(at: "spec", "volumeLifecycleModes").compactMap(\.stringValue)
        func flag(_ field: String) -> JSONValue { .bool(object[path: "spec", field]?.boolValue ?? false) }
        return [.string(object.name ?? ""), flag("attachRequired"), flag("podInfoOnMount"), flag("storageCapacity"),
                .string(audiences.isEmpty ? "<unset>" : audiences.joined(separator: ",")), flag("requiresRepublish"),
                .string(TableFormat.orNone(modes.joined(separator: ","))), .string(Age.since(object, now: now))]
    }
}
