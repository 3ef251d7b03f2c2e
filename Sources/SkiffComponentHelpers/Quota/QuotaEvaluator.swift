import SkiffAPI

/// What an object counts against a ResourceQuota (upstream's quota evaluators, `pkg/quota/v1`):
/// every object its `count/<resource>.<group>`; pods, services and claims their legacy names and
/// compute or storage amounts. Shared by the ResourceQuota admission plugin and the quota controller.
public enum QuotaEvaluator {
    static let pods = GroupResource(group: "", resource: "pods")
    static let services = GroupResource(group: "", resource: "services")
    static let claims = GroupResource(group: "", resource: "persistentvolumeclaims")
    /// Core resources also counted under their bare name (upstream's legacy object count aliases).
    static let legacyCounted: Set<String> = ["configmaps", "resourcequotas", "replicationcontrollers", "secrets",
                                             "pods", "services", "persistentvolumeclaims"]
    /// The compute resources a pod is charged for.
    static let podComputeNames: Set<String> = [
        "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
        "limits.cpu", "limits.memory", "limits.ephemeral-storage",
    ]
    /// The resources a quota on them makes every container state (upstream's pod `Constraints`).
    static let podRequiredNames: Set<String> = ["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]
    static let storageClassSuffix = ".storageclass.storage.k8s.io/"

    /// The object count name of a resource: `count/pods`, `count/deployments.apps`.
    public static func countName(_ resource: GroupResource) -> String {
        resource.group.isEmpty ? "count/\(resource.resource)" : "count/\(resource.resource).\(resource.group)"
    }

    /// The names among `names` that objects of `resource` are charged for.
    public static func matchingResources(_ names: Set<String>, resource: GroupResource) -> Set<String> {
        names.filter { name in
            if name == countName(resource) { return true }
            if resource.group.isEmpty, legacyCounted.contains(resource.resource), name == resource.resource { return true }
            switch resource {
            case pods: return podComputeNames.contains(name) || name.hasPrefix("requests.hugepages-") || name.hasPrefix("limits.hugepages-")
            case services: return name == "services.loadbalancers" || name == "services.nodeports"
            case claims:
                return name == "requests.storage" || name.hasSuffix(storageClassSuffix + "requests.storage")
                    || name.hasSuffix(storageClassSuffix + "persistentvolumeclaims")
            default: return false
            }
        }
    }

    /// What one object of `resource` uses.
    public static func usage(of object: JSONValue, resource: GroupResource) -> ResourceAmounts {
        let one = ResourceQuantity(.int(1))!
        var usage = ResourceAmounts([countName(resource): one])
        switch resource {
        case pods:
            // Finished pods count as objects only (upstream's `QuotaV1Pod`).
            let phase = object[path: "status", "phase"]?.stringValue
            guard phase != "Succeeded" && phase != "Failed" else { return usage }
            usage["pods"] = one
            let requests = PodResourceTotals.totals(of: object, "requests")
            let limits = PodResourceTotals.totals(of: object, "limits")
            let charged = ["cpu", "memory", "ephemeral-storage"]
            for (name, amount) in requests.amounts where charged.contains(name) || name.hasPrefix("hugepages-") {
                let binary = requests.binaryNames.contains(name)
                if charged.contains(name) { usage.set(name, amount, binary: binary) }
                usage.set("requests." + name, amount, binary: binary)
            }
            for (name, amount) in limits.amounts where charged.contains(name) || name.hasPrefix("hugepages-") {
                usage.set("limits." + name, amount, binary: limits.binaryNames.contains(name))
            }
        case services:
            usage["services"] = one
            let type = object[path: "spec", "type"]?.stringValue ?? "ClusterIP"
            let ports = Int64(object.elements("spec", "ports").count)
            if type == "LoadBalancer" { usage["services.loadbalancers"] = one }
            if type == "NodePort" || type == "LoadBalancer" { usage["services.nodeports"] = ResourceQuantity(.int(ports)) }
        case claims:
            usage["persistentvolumeclaims"] = one
            let requested = object[path: "spec", "resources", "requests", "storage"]
            let storage = ResourceQuantity(requested)
            let binary = ResourceAmounts.isBinary(requested)
            if let storage { usage.set("requests.storage", storage, binary: binary) }
            if let storageClass = object[path: "spec", "storageClassName"]?.stringValue, !storageClass.isEmpty {
                usage[storageClass + storageClassSuffix + "persistentvolumeclaims"] = one
                if let storage { usage.set(storageClass + storageClassSuffix + "requests.storage", storage, binary: binary) }
            }
        default:
            if resource.group.isEmpty, legacyCounted.contains(resource.resource) { usage[resource.resource] = one }
        }
        return usage
    }

    /// Why a pod cannot be charged to a quota limiting `restricted`: the containers that leave a
    /// limited cpu or memory request or limit unset (`must specify limits.cpu for: a,b; ...`);
    /// nil when nothing is missing or the object is not a pod.
    public static func unmetConstraints(of object: JSONValue, resource: GroupResource, restricted: Set<String>) -> String? {
        guard resource == pods else { return nil }
        let required = restricted.intersection(podRequiredNames)
        guard !required.isEmpty else { return nil }
        var missing: [String: Set<String>] = [:]
        for container in object.elements("spec", "containers") + object.elements("spec", "initContainers") {
            let name = container["name"]?.stringValue ?? ""
            for resourceName in required {
                let isLimit = resourceName.hasPrefix("limits.")
                let base = resourceName.split(separator: ".").last.map(String.init) ?? resourceName
                if container[path: "resources", isLimit ? "limits" : "requests", base] == nil {
                    missing[resourceName, default: []].insert(name)
                }
            }
        }
        guard !missing.isEmpty else { return nil }
        let parts = missing.keys.sorted().map { "\($0) for: \(missing[$0]!.sorted().joined(separator: ","))" }
        return "must specify \(parts.joined(separator: "; "))"
    }
}
