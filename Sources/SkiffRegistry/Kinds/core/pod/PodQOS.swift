import SkiffAPI

/// A pod's quality-of-service class, computed from its containers' CPU and memory requests and
/// limits as upstream's `qos.GetPodQOS` does.
enum PodQOS {
    /// `BestEffort`, `Burstable` or `Guaranteed`.
    static func classify(_ spec: JSONValue?) -> String {
        let containers = (spec?["containers"]?.arrayValue ?? []) + (spec?["initContainers"]?.arrayValue ?? [])
        var requests: [String: ResourceQuantity] = [:]
        var limits: [String: ResourceQuantity] = [:]
        var guaranteed = true
        for container in containers {
            for (name, quantity) in positiveComputeResources(container[path: "resources", "requests"]) {
                requests[name] = requests[name].map { $0 + quantity } ?? quantity
            }
            let containerLimits = positiveComputeResources(container[path: "resources", "limits"])
            for (name, quantity) in containerLimits {
                limits[name] = limits[name].map { $0 + quantity } ?? quantity
            }
            if Set(containerLimits.map(\.0)) != ["cpu", "memory"] { guaranteed = false }
        }
        if requests.isEmpty && limits.isEmpty { return "BestEffort" }
        if guaranteed, requests.allSatisfy({ limits[$0.key] == $0.value }), requests.count == limits.count {
            return "Guaranteed"
        }
        return "Burstable"
    }

    /// The positive CPU and memory quantities of a resource list (other resources do not count).
    private static func positiveComputeResources(_ list: JSONValue?) -> [(String, ResourceQuantity)] {
        ["cpu", "memory"].compactMap { name in
            guard let quantity = ResourceQuantity(list?[name]), quantity.isPositive else { return nil }
            return (name, quantity)
        }
    }
}
