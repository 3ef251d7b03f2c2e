import SkiffAPI

extension LeaseStrategy {
    var tableColumns: [TableColumn] { [.name, TableColumn("Holder"), .age] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .string(object.stringValue(at: "spec", "holderIdentity")), .string(Age.since(object, now: now))]
    }
}
