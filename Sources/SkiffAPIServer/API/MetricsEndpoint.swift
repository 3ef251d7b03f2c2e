import CoreMetrics
import SkiffMetrics
import SkiffRegistry

/// `GET /metrics`: the process's metrics in Prometheus' text format, as kube-apiserver serves
/// them (authorized as a non-resource URL: the `system:monitoring` group and ClusterRole). Before
/// each answer it counts every resource's stored objects (`apiserver_storage_objects`).
struct MetricsEndpoint: Sendable {
    let metrics: PrometheusRegistry
    let registry: Registry

    func response() async -> HTTPResponse {
        var counted: Set<String> = []
        for info in registry.resources where counted.insert(info.keyPrefix).inserted {
            guard let store = registry.store(for: info.groupVersionResource), let count = try? await store.storedObjectCount() else { continue }
            Gauge(label: "apiserver_storage_objects", dimensions: [("resource", info.groupResource.description)], factory: metrics).record(count)
        }
        return .metrics(metrics)
    }

    /// The endpoint when the server's metrics backend is a Prometheus registry (a `skiff` process);
    /// nil otherwise (`/metrics` is then not found).
    init?(factory: any MetricsFactory, registry: Registry) {
        guard let metrics = factory as? PrometheusRegistry else { return nil }
        self.metrics = metrics
        self.registry = registry
    }
}

extension HTTPResponse {
    /// `registry`'s metrics in Prometheus' text format: the `/metrics` answer of every component
    /// that serves HTTP (the API server, the kubelet).
    public static func metrics(_ registry: PrometheusRegistry) -> HTTPResponse {
        HTTPResponse(status: .ok, headers: ["Content-Type": PrometheusRegistry.contentType], body: .bytes(Array(registry.exposition().utf8)))
    }
}
