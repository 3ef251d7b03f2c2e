import SkiffAPI
import SkiffModels

/// Upstream's replica calculator for resource metrics: from the pods the target's selector
/// picks and their usages, the replica count that brings the average usage to the target
/// (a utilization of the pods' requests, or an average value), keeping the current count
/// within `tolerance`. Pods being deleted or failed are ignored; pending pods, and for CPU pods
/// not yet ready (or whose usage predates readiness), count as unready; pods without a usage
/// count as missing. Unready and missing pods damp the change as upstream does: missing pods are
/// taken to use their full request (or the target) on a scale-down and nothing on a scale-up,
/// unready pods nothing on a scale-up, and a change that this reverses is dropped.
struct ReplicaCalculator: Sendable {
    /// The ratio change that does not cause scaling (`--horizontal-pod-autoscaler-tolerance`).
    var tolerance = 0.1
    /// How long after a pod starts its CPU is ignored while unready (`--horizontal-pod-autoscaler-cpu-initialization-period`).
    var cpuInitializationPeriod: Duration = .seconds(300)
    /// How long after a pod starts it may still turn ready (`--horizontal-pod-autoscaler-initial-readiness-delay`).
    var initialReadinessDelay: Duration = .seconds(30)

    /// What a resource metric targets.
    enum Target: Sendable, Equatable {
        /// A percentage of the pods' requests.
        case utilization(Int32)
        /// An average usage per pod, in thousandths.
        case averageValue(Int64)
    }

    /// The proposal for `currentReplicas` pods (of which `pods` exist) using `metrics` (by pod
    /// name) of `resource` (`container`'s only, when given), at `now`.
    func replicas(currentReplicas: Int32, target: Target, resource: String, container: String?, pods: [CoreV1.Pod],
                  metrics allMetrics: [String: PodMetric], now: Timestamp) throws(ReplicaCalculationError) -> ReplicaProposal {
        guard !pods.isEmpty else { throw ReplicaCalculationError(message: "no pods returned by selector while calculating replica count") }
        var metrics = allMetrics
        var readyCount = 0
        var unready: [String] = []
        var missing: [String] = []
        for pod in pods {
            let name = pod.name
            if pod.metadata?.deletionTimestamp != nil || pod.status?.phase == "Failed" {
                metrics[name] = nil
                continue
            }
            if pod.status?.phase == "Pending" {
                unready.append(name)
                continue
            }
            guard let metric = allMetrics[name] else {
                missing.append(name)
                continue
            }
            if resource == "cpu", isUnready(pod, metric: metric, now: now) {
                unready.append(name)
                continue
            }
            readyCount += 1
        }
        for name in unready { metrics[name] = nil }
        guard !metrics.isEmpty else { throw ReplicaCalculationError(message: "did not receive metrics for targeted pods (pods might be unready)") }
        let requests: [String: Int64]
        if case .utilization = target {
            requests = try Self.requests(of: pods, resource: resource, container: container)
        } else {
            requests = [:]
        }
        let first = try ratio(metrics, requests: requests, target: target)
        let scaleUpWithUnready = !unready.isEmpty && first.ratio > 1
        if !scaleUpWithUnready && missing.isEmpty {
            if abs(1 - first.ratio) <= tolerance {
                return ReplicaProposal(replicas: currentReplicas, utilization: first.utilization, rawAverage: first.rawAverage)
            }
            return ReplicaProposal(replicas: Int32((first.ratio * Double(readyCount)).rounded(.up)), utilization: first.utilization,
                                   rawAverage: first.rawAverage)
        }
        for name in missing {
            if first.ratio < 1 {
                switch target {
                case .utilization(let percent): metrics[name] = PodMetric(timestamp: now, window: .zero, milliValue: (requests[name] ?? 0) * Int64(max(100, percent)) / 100)
                case .averageValue(let value): metrics[name] = PodMetric(timestamp: now, window: .zero, milliValue: value)
                }
            } else {
                metrics[name] = PodMetric(timestamp: now, window: .zero, milliValue: 0)
            }
        }
        if scaleUpWithUnready {
            for name in unready { metrics[name] = PodMetric(timestamp: now, window: .zero, milliValue: 0) }
        }
        let second = try ratio(metrics, requests: requests, target: target)
        let keep = ReplicaProposal(replicas: currentReplicas, utilization: first.utilization, rawAverage: first.rawAverage)
        if abs(1 - second.ratio) <= tolerance || (first.ratio < 1 && second.ratio > 1) || (first.ratio > 1 && second.ratio < 1) { return keep }
        let replicas = Int32((second.ratio * Double(metrics.count)).rounded(.up))
        if (second.ratio < 1 && replicas > currentReplicas) || (second.ratio > 1 && replicas < currentReplicas) { return keep }
        return ReplicaProposal(replicas: replicas, utilization: first.utilization, rawAverage: first.rawAverage)
    }

    /// Whether a pod's CPU sample is left out as unready (upstream's `groupPods`).
    private func isUnready(_ pod: CoreV1.Pod, metric: PodMetric, now: Timestamp) -> Bool {
        guard let condition = pod.status?.conditions?.first(where: { $0.type == "Ready" }), let started = pod.status?.startTime,
            let transition = condition.lastTransitionTime
        else { return true }
        if started.advanced(by: cpuInitializationPeriod) > now {
            return condition.status == "False" || metric.timestamp < transition.advanced(by: metric.window)
        }
        return condition.status == "False" && started.advanced(by: initialReadinessDelay) > transition
    }

    /// The usage ratio to the target, the average utilization (for utilization targets) and the
    /// average usage.
    private func ratio(_ metrics: [String: PodMetric], requests: [String: Int64],
                       target: Target) throws(ReplicaCalculationError) -> (ratio: Double, utilization: Int32?, rawAverage: Int64) {
        switch target {
        case .utilization(let percent):
            var usage: Int64 = 0, requested: Int64 = 0, counted: Int64 = 0
            for (name, metric) in metrics {
                guard let request = requests[name] else { continue }
                usage += metric.milliValue
                requested += request
                counted += 1
            }
            guard requested > 0 else { throw ReplicaCalculationError(message: "no metrics returned matched known pods") }
            let utilization = Int32(usage * 100 / requested)
            return (Double(utilization) / Double(percent), utilization, usage / counted)
        case .averageValue(let value):
            let average = metrics.values.reduce(Int64(0)) { $0 + $1.milliValue } / Int64(metrics.count)
            return (Double(average) / Double(value), nil, average)
        }
    }

    /// Each pod's request of `resource` in thousandths (the sum over its containers, or
    /// `container`'s); upstream's error when a container has none.
    static func requests(of pods: [CoreV1.Pod], resource: String, container: String?) throws(ReplicaCalculationError) -> [String: Int64] {
        var requests: [String: Int64] = [:]
        for pod in pods {
            var total: Int64 = 0
            for spec in pod.spec?.containers ?? [] where container == nil || spec.name == container {
                guard let request = spec.resources?.requests?[resource].flatMap({ ResourceQuantity(.string($0.string)) }) else {
                    throw ReplicaCalculationError(message: "missing request for \(resource) in container \(spec.name) of Pod \(pod.name)")
                }
                total += request.milliValue
            }
            requests[pod.name] = total
        }
        return requests
    }
}
