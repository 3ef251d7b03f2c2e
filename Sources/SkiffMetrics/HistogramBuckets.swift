/// The bucket upper bounds of a histogram, by metric name: upstream's for the metrics Skiff shares
/// with Kubernetes, Prometheus' default (`prometheus.DefBuckets`) for the rest.
public struct HistogramBuckets: Sendable {
    /// Prometheus' default buckets, in the metric's unit.
    public static let prometheusDefault: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// `count` buckets starting at `start`, each `factor` times the previous (`prometheus.ExponentialBuckets`).
    public static func exponential(start: Double, factor: Double, count: Int) -> [Double] {
        var bounds = [start]
        while bounds.count < count, let last = bounds.last { bounds.append(last * factor) }
        return bounds
    }

    /// kube-apiserver's request and storage latency buckets.
    static let apiserverLatency: [Double] = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60]

    /// Upstream's buckets of the metrics Skiff exports under the same names.
    public static let upstream = HistogramBuckets(byName: [
        "apiserver_request_duration_seconds": apiserverLatency,
        "etcd_request_duration_seconds": apiserverLatency,
        "scheduler_scheduling_attempt_duration_seconds": exponential(start: 0.001, factor: 2, count: 15),
        "kubelet_pod_start_duration_seconds": [0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800, 2700, 3600],
        "rest_client_request_duration_seconds": [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
        "workqueue_queue_duration_seconds": exponential(start: 10e-9, factor: 10, count: 10),
        "workqueue_work_duration_seconds": exponential(start: 10e-9, factor: 10, count: 10),
    ])

    /// Buckets of named metrics; others get `fallback`.
    public var byName: [String: [Double]]
    public var fallback: [Double]

    public init(byName: [String: [Double]], fallback: [Double] = HistogramBuckets.prometheusDefault) {
        self.byName = byName
        self.fallback = fallback
    }

    /// The sorted upper bounds of metric `name` (without `+Inf`).
    public func bounds(of name: String) -> [Double] {
        (byName[name] ?? fallback).sorted()
    }
}
