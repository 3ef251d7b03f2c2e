import SkiffAPI

/// Nodes: cluster-scoped, status written by kubelets, kubectl's STATUS/ROLES/VERSION columns.
struct NodeStrategy: ResourceStrategy {
    var selectableFields: [String] { ["spec.unschedulable"] }

    func fieldValues(of object: JSONValue) -> [String: String] {
        ["spec.unschedulable": (object[path: "spec", "unschedulable"]?.boolValue ?? false) ? "true" : "false"]
    }

    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) {
        object["status"] = old["status"]
    }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Status"), TableColumn("Roles"), .age, TableColumn("Version"),
         TableColumn("Internal-IP", priority: 1), TableColumn("External-IP", priority: 1), TableColumn("OS-Image", priority: 1),
         TableColumn("Kernel-Version", priority: 1), TableColumn("Container-Runtime", priority: 1)]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let status = object["status"] ?? .emptyObject
        let ready = (status["conditions"]?.arrayValue ?? []).first { $0["type"] == "Ready" }
        var states: [String] = []
        switch ready?["status"]?.stringValue {
        case "True": states.append("Ready")
        case nil: states.append("Unknown")
        default: states.append("NotReady")
        }
        if object[path: "spec", "unschedulable"]?.boolValue == true { states.append("SchedulingDisabled") }
        let roles = object.labels.keys.compactMap { key -> String? in
            if key.hasPrefix("node-role.kubernetes.io/") { return String(key.dropFirst("node-role.kubernetes.io/".count)) }
            if key == "kubernetes.io/role" { return object.labels[key] }
            return nil
        }.filter { !$0.isEmpty }.sorted()
        let addresses = status["addresses"]?.arrayValue ?? []
        func address(_ type: String) -> String {
            let found = addresses.filter { $0["type"]?.stringValue == type }.compactMap { $0["address"]?.stringValue }
            return found.isEmpty ? "<none>" : found.joined(separator: ",")
        }
        let info = status["nodeInfo"] ?? .emptyObject
        func infoField(_ name: String) -> String {
            let value = info[name]?.stringValue ?? ""
            return value.isEmpty ? "<unknown>" : value
        }
        return [
            .string(object.name ?? ""), .string(states.joined(separator: ",")), .string(roles.isEmpty ? "<none>" : roles.joined(separator: ",")),
            .string(Age.since(object, now: now)), .string(info["kubeletVersion"]?.stringValue ?? ""),
            .string(address("InternalIP")), .string(address("ExternalIP")), .string(infoField("osImage")),
            .string(infoField("kernelVersion")), .string(infoField("containerRuntimeVersion")),
        ]
    }
}
