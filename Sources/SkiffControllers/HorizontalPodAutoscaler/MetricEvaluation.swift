import SkiffAPI
import SkiffClient
import SkiffModels

/// Upstream's `computeReplicasForMetrics` over an autoscaler's metrics: each resource metric's
/// proposal from the metrics API and the target's pods (other metric types fail, no custom or
/// external metrics API being served), the highest proposal, its metric's name and the status
/// of every metric (an empty one for each that failed).
struct MetricEvaluation: Sendable {
    /// The highest proposal, or nil when it cannot be acted on (every metric failed, or some
    /// did and the others would scale down).
    var replicas: Int32?
    /// The proposing metric (`cpu resource utilization (percentage of request)`).
    var metricName: String
    var statuses: [AutoscalingV2.MetricStatus]
    var failures: [MetricFailure]

    /// Evaluates `metrics` for `current` replicas of pods matching `selector` in `namespace`.
    static func evaluate(_ metrics: [AutoscalingV2.MetricSpec], current: Int32, namespace: String, selector: String,
                         pods: TypedLister<CoreV1.Pod>, client: ResourceMetricsClient, calculator: ReplicaCalculator,
                         now: Timestamp) async -> MetricEvaluation {
        var evaluation = MetricEvaluation(replicas: nil, metricName: "", statuses: [], failures: [])
        var best: Int32 = 0
        let labelSelector = (try? LabelSelector(parsing: selector)) ?? .nothing
        let matching = pods.namespace(namespace).list(labelSelector)
        for metric in metrics {
            guard metric.type == "Resource" || metric.type == "ContainerResource", let source = ResourceSource(metric),
                let target = source.target
            else {
                evaluation.statuses.append(AutoscalingV2.MetricStatus(type: ""))
                evaluation.failures.append(MetricFailure(metric))
                continue
            }
            do throws(ReplicaCalculationError) {
                let podMetrics: [String: PodMetric]
                do throws(ReplicaCalculationError) {
                    podMetrics = try await client.podMetrics(resource: source.name, namespace: namespace, selector: selector, container: source.container)
                } catch {
                    throw ReplicaCalculationError(message: "unable to get metrics for resource \(source.name): \(error.message)")
                }
                let proposal = try calculator.replicas(currentReplicas: current, target: target, resource: source.name, container: source.container,
                                                       pods: matching, metrics: podMetrics, now: now)
                evaluation.statuses.append(source.status(proposal))
                if best == 0 || proposal.replicas > best {
                    best = proposal.replicas
                    evaluation.metricName = source.metricName
                }
            } catch {
                evaluation.statuses.append(AutoscalingV2.MetricStatus(type: ""))
                evaluation.failures.append(MetricFailure(reason: source.failureReason, message: "failed to get \(source.name) \(source.measure): \(error.message)"))
            }
        }
        let invalid = evaluation.failures.count
        if invalid < metrics.count, !(invalid > 0 && best < current) { evaluation.replicas = best }
        return evaluation
    }

    /// A resource metric (of the pods or of one container) and its target.
    private struct ResourceSource {
        var name: String
        var container: String?
        var target: ReplicaCalculator.Target?

        init?(_ metric: AutoscalingV2.MetricSpec) {
            guard let target = metric.resource?.target ?? metric.containerResource?.target,
                let name = metric.resource?.name ?? metric.containerResource?.name
            else { return nil }
            self.name = name
            container = metric.containerResource?.container
            if let value = target.averageValue.flatMap({ ResourceQuantity(.string($0.string)) }) {
                self.target = .averageValue(value.milliValue)
            } else if let percent = target.averageUtilization {
                self.target = .utilization(percent)
            }
        }

        var isUtilization: Bool {
            if case .utilization = target { return true }
            return false
        }

        var measure: String { isUtilization ? "utilization" : "usage" }

        var failureReason: String { container == nil ? "FailedGetResourceMetric" : "FailedGetContainerResourceMetric" }

        /// Upstream's name of the metric in messages.
        var metricName: String {
            guard isUtilization else { return "\(name) resource" }
            return container == nil ? "\(name) resource utilization (percentage of request)" : "\(name) container resource utilization (percentage of request)"
        }

        func status(_ proposal: ReplicaProposal) -> AutoscalingV2.MetricStatus {
            let current = AutoscalingV2.MetricValueStatus(averageUtilization: proposal.utilization,
                                                          averageValue: Quantity(Self.milli(proposal.rawAverage)))
            guard let container else {
                return AutoscalingV2.MetricStatus(resource: AutoscalingV2.ResourceMetricStatus(current: current, name: name), type: "Resource")
            }
            return AutoscalingV2.MetricStatus(containerResource: AutoscalingV2.ContainerResourceMetricStatus(container: container, current: current, name: name),
                                              type: "ContainerResource")
        }

        /// Thousandths as upstream's `NewMilliQuantity(_, DecimalSI)` prints them (`250m`, `1`, `1500m`).
        static func milli(_ value: Int64) -> String {
            ResourceQuantity(.string("\(value)m"))?.canonical(binary: false) ?? "\(value)m"
        }
    }
}
