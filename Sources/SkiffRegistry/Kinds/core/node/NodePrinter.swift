import SkiffAPI

extension NodeStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Status", description: "The status of the node"), TableColumn("Roles", description: "The roles of the node"),
         .age, TableColumn("Version"),
         TableColumn("Internal-IP", priority: 1), TableColumn("External-IP", priority: 1), TableColumn("OS-Image", priority: 1),
         TableColumn("Kernel-Version", priority: 1), TableColumn("Container-Runtime", priority: 1)]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        var states: [String] = []
        if let ready = object.elements(at: "status", "conditions").last(where: { $0["type"] == "Ready" }) {
            states.append(ready["status"] == "True" ? "Ready" : "NotReady")
        } else {
            states.append("Unknown")
        }
        if object[path: "spec", "unschedulable"]?.boolValue == true { states.append("SchedulingDisabled") }
        var roles = Set<String>()
        for (key, value) in object.labels {
            if key.hasPrefix("node-role.kubernetes.io/"), key.count > "node-role.kubernetes.io/".count {
                roles.insert(String(key.dropFirst("node-role.kubernetes.io/".count)))
            } else if key == "kubernetes.io/role", !value.isEmpty {
                roles.insert(value)
            }
        }
        func address(_ type: String) -> String {
            object.elements(at: "status", "addresses").first { $0["type"]?.stringValue == type }?.stringValue(at: "address") ?? "<none>"
        }
        func info(_ field: String) -> String {
            let value = object.stringValue(at: "status", "nodeInfo", field)
            return value.isEmpty ? "<unknown>" : value
        }
        return [
            .string(object.name ?? ""), .string(states.joined(separator: ",")), .string(roles.isEmpty ? "<none>" : roles.sorted().joined(separator: ",")),
            .string(Age.since(object, now: now)), .string(object.stringValue(at: "status", "nodeInfo", "kubeletVersion")),
            .string(address("InternalIP")), .string(address("ExternalIP")), .string(info("osImage")),
            .string(info("kernelVersion")), .string(info("containerRuntimeVersion")),
        ]
    }
}
