import SkiffModels

/// What a pod asks of a node, computed as upstream's `resourcehelper.PodRequests`: the larger of
/// the sum of the app containers (plus restartable init containers, which keep running) and of
/// each init container in turn (plus the restartable ones started before it), plus the overhead.
public enum PodRequests {
    /// The CPU upstream's scoring assumes for a container that requests none (100m).
    public static let defaultMilliCPU: Int64 = 100
    /// The memory upstream's scoring assumes for a container that requests none (200Mi).
    public static let defaultMemory: Int64 = 200 * 1024 * 1024

    /// The pod's requests; with `nonZero`, containers without a CPU or memory request count the
    /// defaults instead (upstream's non-zero requests, used by scoring).
    public static func of(_ spec: CoreV1.PodSpec?, nonZero: Bool) -> ComputeResources {
        func requests(_ container: CoreV1.Container) -> ComputeResources {
            let list = container.resources?.requests
            var resources = ComputeResources(list)
            if nonZero {
                if list?["cpu"] == nil { resources.milliCPU = defaultMilliCPU }
                if list?["memory"] == nil { resources.memory = defaultMemory }
            }
            return resources
        }
        var total = (spec?.containers ?? []).reduce(ComputeResources()) { $0 + requests($1) }
        var restartable = ComputeResources()
        var initMaximum = ComputeResources()
        for container in spec?.initContainers ?? [] {
            let containerRequests = requests(container)
            if container.restartPolicy == "Always" {
                total = total + containerRequests
                restartable = restartable + containerRequests
                initMaximum = initMaximum.maximum(restartable)
            } else {
                initMaximum = initMaximum.maximum(containerRequests + restartable)
            }
        }
        return total.maximum(initMaximum) + ComputeResources(spec?.overhead)
    }
}
