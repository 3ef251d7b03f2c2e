import SkiffModels

/// Why a metric cannot be read while no metrics API is served: upstream's event reason per
/// metric type and the error its metrics clients report when `metrics.k8s.io` (resource
/// metrics) or the custom and external metrics APIs are missing.
struct MetricFailure: Equatable {
    var reason: String
    var message: String

    /// What the resource metrics client says when `metrics.k8s.io` is not served.
    static let resourceMetricsMissing =
        "unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)"

    init(_ metric: AutoscalingV2.MetricSpec) {
        switch metric.type {
        case "Resource", "ContainerResource":
            let resource = metric.resource?.name ?? metric.containerResource?.name ?? ""
            let target = metric.resource?.target ?? metric.containerResource?.target
            reason = metric.type == "Resource" ? "FailedGetResourceMetric" : "FailedGetContainerResourceMetric"
            if target?.averageUtilization != nil {
                message = "failed to get \(resource) utilization: unable to get metrics for resource \(resource): \(Self.resourceMetricsMissing)"
            } else if target?.averageValue != nil {
                message = "failed to get \(resource) usage: unable to get metrics for resource \(resource): \(Self.resourceMetricsMissing)"
            } else {
                message = "invalid resource metric source: neither an average utilization target nor an average value (usage) target was set"
            }
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
