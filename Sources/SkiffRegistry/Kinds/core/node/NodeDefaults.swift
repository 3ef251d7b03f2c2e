import SkiffAPI

extension NodeStrategy {
    /// The `nodeInfo` fields, always present (Go strings without `omitempty`).
    private static let nodeInfoFields = ["machineID", "systemUUID", "bootID", "kernelVersion", "osImage", "containerRuntimeVersion",
                                         "kubeletVersion", "kubeProxyVersion", "operatingSystem", "architecture"]

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
}
