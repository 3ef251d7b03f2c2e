import SkiffAPI
import SkiffComponentHelpers
import SkiffModels

/// A pod the eviction manager may evict, with what it uses and requests of the starved resource.
struct EvictionCandidate: Sendable {
    var pod: CoreV1.Pod
    /// The pod's use (memory working set, bytes on disk); nil when not measured.
    var usage: Int64?
    /// Its containers' use, by name (for the message).
    var containerUsage: [String: Int64] = [:]

    /// What the pod requests of `resource` (`memory` or `ephemeral-storage`), counted as the
    /// scheduler and admission count a pod's requests (`PodRequests`: init containers and overhead
    /// included, as upstream's `GetResourceRequestQuantity`); 0 for other resources.
    func request(_ resource: String) -> Int64 {
        let requests = PodRequests.of(pod.spec, nonZero: false)
        switch resource {
        case "memory": return requests.memory
        case "ephemeral-storage": return requests.ephemeralStorage
        default: return 0
        }
    }

    var priority: Int32 { pod.spec?.priority ?? 0 }
}

/// The order in which pods are evicted and what their eviction says, as upstream's eviction
/// manager ranks and words them.
enum EvictionRanking {
    /// Pods ranked for reclaiming `resource` (`memory`, `ephemeral-storage`, ...), first evicted
    /// first: those without figures, then those using more than they request, then lower
    /// priority, then those using the most above their request (for `pids`, priority then use).
    static func rank(_ candidates: [EvictionCandidate], resource: String) -> [EvictionCandidate] {
        candidates.sorted { first, second in
            let usageOrdered = resource != "pids"
            if usageOrdered {
                if (first.usage == nil) != (second.usage == nil) { return first.usage == nil }
                if let a = first.usage, let b = second.usage {
                    let firstExceeds = a > first.request(resource)
                    let secondExceeds = b > second.request(resource)
                    if firstExceeds != secondExceeds { return firstExceeds }
                }
            }
            if first.priority != second.priority { return first.priority < second.priority }
            let firstAbove = (first.usage ?? 0) - (usageOrdered ? first.request(resource) : 0)
            let secondAbove = (second.usage ?? 0) - (usageOrdered ? second.request(resource) : 0)
            return firstAbove > secondAbove
        }
    }

    /// The eviction's message (upstream's `evictionMessage`): "The node was low on resource:
    /// memory. ", with "Threshold quantity: 100Mi, available: 51200Ki. " for a threshold given as
    /// a quantity, and for each container using more than it requests "Container app was using
    /// 300Mi, request is 0, has larger consumption of memory. ".
    static func message(for candidate: EvictionCandidate, threshold: EvictionThreshold, observed: SignalObservation) -> String {
        let resource = threshold.signal.resource
        var message = "The node was low on resource: \(resource). "
        if case .quantity(let quantity) = threshold.value {
            message += "Threshold quantity: \(quantity.canonical(binary: true)), available: \(MachineCapacity.binary(observed.available)). "
        }
        for container in candidate.pod.spec?.containers ?? [] {
            guard let usage = candidate.containerUsage[container.name] else { continue }
            let request = container.resources?.requests?[resource]
            let requested = request.flatMap { ResourceQuantity(.string($0.string)) }?.value ?? 0
            guard usage > requested else { continue }
            message += "Container \(container.name) was using \(MachineCapacity.binary(usage)), request is \(request?.string ?? "0"), has larger consumption of \(resource). "
        }
        return message
    }
}
