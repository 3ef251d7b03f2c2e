import SkiffAPI

/// ServiceAccounts: `SECRETS` counts referenced secrets; deletes return the object.
struct ServiceAccountStrategy: ResourceStrategy {
    var returnsDeletedObject: Bool { true }
    var tableColumns: [TableColumn] { [.name, TableColumn("Secrets"), .age] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .int(Int64(object.elements(at: "secrets").count)), .string(Age.since(object, now: now))]
    }
}
