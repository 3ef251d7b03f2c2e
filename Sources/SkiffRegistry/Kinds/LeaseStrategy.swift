import SkiffAPI

/// Leases: `HOLDER` is `spec.holderIdentity`.
struct LeaseStrategy: ResourceStrategy {
    var tableColumns: [TableColumn] { [.name, TableColumn("Holder"), .age] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), object[path: "spec", "holderIdentity"] ?? "", .string(Age.since(object, now: now))]
    }
}
