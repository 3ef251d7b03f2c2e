import SkiffAPI

extension NetworkPolicyStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Pod-Selector", description: "Selects the pods to which this NetworkPolicy object applies."), .age]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .string(TableFormat.labelSelector(object[path: "spec", "podSelector"] ?? .emptyObject)),
         .string(Age.since(object, now: now))]
    }
}
