import SkiffAPI

/// ConfigMaps: valid keys, immutability once `immutable` is set, and a `DATA` column counting
/// `data` and `binaryData` entries.
struct ConfigMapStrategy: ResourceStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        ConfigDataValidation.validateKeys(object, fields: ["data", "binaryData"])
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        ConfigDataValidation.validateImmutability(object, old: old, fields: ["data", "binaryData"])
    }

    var tableColumns: [TableColumn] { [.name, TableColumn("Data"), .age] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let count = (object["data"]?.objectValue?.count ?? 0) + (object["binaryData"]?.objectValue?.count ?? 0)
        return [.string(object.name ?? ""), .int(Int64(count)), .string(Age.since(object, now: now))]
    }
}
