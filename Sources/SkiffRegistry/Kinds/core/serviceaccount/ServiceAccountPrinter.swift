import SkiffAPI

extension ServiceAccountStrategy {
    var tableColumns: [TableColumn] { [.name, TableColumn("Secrets"), .age] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .int(Int64(object.elements(at: "secrets").count)), .string(Age.since(object, now: now))]
    }
}
