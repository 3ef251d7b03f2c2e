import Foundation
import SkiffAPI

extension SecretStrategy {
    var tableColumns: [TableColumn] { [.name, TableColumn("Type"), TableColumn("Data"), .age] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .string(object.stringValue(at: "type")), .int(Int64(object["data"]?.objectValue?.count ?? 0)),
         .string(Age.since(object, now: now))]
    }
}
