import SkiffModels

/// Why a metric cannot be read: upstream's event reason per metric type and its message. The
/// custom and external metrics APIs are not served, so `Pods`, `Object` and `External` metrics
/// always fail; resource metrics fail with what reading `metrics.k8s.io` or computing found.
struct MetricFailure: Equatable, Sendable {
    var reason: String
    var message: String

    init(reason: String, message: String) {
        self.reason = reason
        self.message = message
    }

    /// The failure of a metric that is not read: of a type without an API, or a resource
    /// metric without a target.
    init(_ metric: AutoscalingV2.MetricSpec) {
        switch metric.type {
        case "Resource", "ContainerResource":
            reason = metric.type == "Resource" ? "FailedGetResourceMetric" : "FailedGetContainerResourceMetric"
            message = "invalid resource metric source: neither an average utilization target nor an average value (usage) target was set"
        case "Pods":
            reason = "FailedGetPodsMetric"
            message = "unable to get metric \(metric.pods?.metric.name ?? ""): no custom metrics API (custom.metrics.k8s.io) registered"
        case "Object":
            reason = "FailedGetObjectMetric"
            message = "unable to get metric \(metric.object?.metric.name ?? ""): no custom metrics API (custom.metrics.k8s.io) registered"
        case "External":
            reason = "FailedGetExternalMetric"
            message = "unable to get external metric \(metric.external?.metric.name ?? ""): no external metrics API (external.metrics.k8s.io) registered"
        default:
            reason = "InvalidMetricSourceType"
            message = "unknown metric source type \"\(metric.type)\""
        }
    }
}
