import SkiffAPI

extension ResourceQuotaStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Request", description: "Request represents a minimum amount of cpu/memory that a container may consume."),
         TableColumn("Limit", description: "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."), .age]
    }

    /// `name: used/hard` for each resource of `spec.hard`, sorted; `limits.*` in LIMIT, the rest in REQUEST.
    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        var requests: [String] = []
        var limits: [String] = []
        for name in (object[path: "spec", "hard"]?.objectValue ?? [:]).keys.sorted() {
            let used = object[path: "status", "used", name]?.stringValue ?? "0"
            let hard = object[path: "status", "hard", name]?.stringValue ?? "0"
            let cell = "\(name): \(used)/\(hard)"
            if name.hasPrefix("limits.") { limits.append(cell) } else { requests.append(cell) }
        }
        return [.string(object.name ?? ""), .string(requests.joined(separator: ", ")), .string(limits.joined(separator: ", ")),
                .string(Age.since(object, now: now))]
    }
}
