import SkiffAPI

/// Nodes: cluster-scoped, status written by kubelets (kept on updates of the main resource),
/// `spec.unschedulable` selectable, kubectl's STATUS/ROLES/VERSION columns.
struct NodeStrategy: ResourceStrategy {
    var selectableFields: [String] { ["spec.unschedulable"] }

    /// The `nodeInfo` fields, always present (Go strings without `omitempty`).
    private static let nodeInfoFields = ["machineID", "systemUUID", "bootID", "kernelVersion", "osImage", "containerRuntimeVersion",
                                         "kubeletVersion", "kubeProxyVersion", "operatingSystem", "architecture"]

    func fieldValues(of object: JSONValue) -> [String: String] {
        ["spec.unschedulable": String(object[path: "spec", "unschedulable"]?.boolValue ?? false)]
    }

    /// `podCIDRs` starts with `podCIDR`; allocatable defaults to capacity; the status has
    /// upstream's always-present parts.
    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            let podCIDR = spec.stringValue(at: "podCIDR")
            if !podCIDR.isEmpty && spec.elements(at: "podCIDRs").isEmpty { spec["podCIDRs"] = [.string(podCIDR)] }
            if podCIDR.isEmpty, let first = spec.elements(at: "podCIDRs").first { spec["podCIDR"] = first }
        }
        object.setDefault("status", .emptyObject)
        object.editMember("status") { status in
            if status["allocatable"] == nil, let capacity = status["capacity"] { status["allocatable"] = capacity }
            status.setDefault("daemonEndpoints", .emptyObject)
            status.editMember("daemonEndpoints") { endpoints in
                endpoints.setDefault("kubeletEndpoint", .emptyObject)
                endpoints.editMember("kubeletEndpoint") { $0.setDefault("Port", 0) }
            }
            status.setDefault("nodeInfo", .emptyObject)
            status.editMember("nodeInfo") { info in
                for field in Self.nodeInfoFields { info.setDefault(field, "") }
            }
        }
    }

    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) {
        object["status"] = old["status"]
    }

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
