import SkiffAPI

/// ConfigMaps: `DATA` counts `data` and `binaryData` entries.
struct ConfigMapStrategy: ResourceStrategy {
    var tableColumns: [TableColumn] { [.name, TableColumn("Data", type: "integer"), .age] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let count = (object["data"]?.objectValue?.count ?? 0) + (object["binaryData"]?.objectValue?.count ?? 0)
        return [.string(object.name ?? ""), .int(Int64(count)), .string(Age.since(object, now: now))]
    }
}

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

/// ServiceAccounts: `SECRETS` counts referenced secrets; deletes return the object.
struct ServiceAccountStrategy: ResourceStrategy {
    var returnsDeletedObject: Bool { true }
    var tableColumns: [TableColumn] { [.name, TableColumn("Secrets", type: "integer"), .age] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .int(Int64(object["secrets"]?.arrayValue?.count ?? 0)), .string(Age.since(object, now: now))]
    }
}
