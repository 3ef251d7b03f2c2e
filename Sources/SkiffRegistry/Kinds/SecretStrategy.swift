import SkiffAPI

/// Secrets: `type` defaults to `Opaque` and is selectable; `data` values must be base64.
struct SecretStrategy: ResourceStrategy {
    var selectableFields: [String] { ["type"] }

    func fieldValues(of object: JSONValue) -> [String: String] {
        ["type": object["type"]?.stringValue ?? ""]
    }

    func applyDefaults(to object: inout JSONValue) {
        PodSpecDefaults.setIfMissing(&object, "type", "Opaque")
    }

    var tableColumns: [TableColumn] { [.name, TableColumn("Type"), TableColumn("Data", type: "integer"), .age] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let count = (object["data"]?.objectValue?.count ?? 0)
        return [.string(object.name ?? ""), object["type"] ?? "", .int(Int64(count)), .string(Age.since(object, now: now))]
    }
}
