import SkiffAPI

/// A pod's total requests or limits as upstream's `resourcehelper.PodRequests`/`PodLimits`
/// count them: the sum of its containers and restartable (sidecar) init containers; each other
/// init container runs alone with the sidecars started before it, so the pod needs at least that
/// much; plus the pod's `overhead`.
public enum PodResourceTotals {
    /// The pod's requests (`"requests"`) or limits (`"limits"`) of each resource.
    public static func totals(of pod: JSONValue, _ kind: String) -> ResourceAmounts {
        var sum = ResourceAmounts()
        for container in pod.elements("spec", "containers") {
            sum = sum + ResourceAmounts(json: container[path: "resources", kind])
        }
        var sidecars = ResourceAmounts()
        var initPeak = ResourceAmounts()
        for container in pod.elements("spec", "initContainers") {
            let amounts = ResourceAmounts(json: container[path: "resources", kind])
            if container["restartPolicy"]?.stringValue == "Always" {
                sum = sum + amounts
                sidecars = sidecars + amounts
            } else {
                let running = sidecars + amounts
                initPeak = initPeak.maximum(running)
            }
        }
        return sum.maximum(initPeak) + ResourceAmounts(json: pod[path: "spec", "overhead"])
    }
}

extension JSONValue {
    /// The elements of the array at a path (empty when missing).
    func elements(_ path: String...) -> [JSONValue] {
        self[path: path[...]]?.arrayValue ?? []
    }
}
