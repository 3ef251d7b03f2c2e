import SkiffAPI

extension WebhookConfigurationStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Webhooks", type: "integer", description: "Webhooks indicates the number of webhooks registered in this configuration"), .age]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .int(Int64(object.elements(at: "webhooks").count)), .string(Age.since(object, now: now))]
    }
}
