import SkiffAPI
import SkiffClient

/// Reads pods' resource usage from `metrics.k8s.io/v1beta1` through the API server (upstream's
/// REST metrics client): the `PodMetrics` of a namespace's pods matching a selector, each
/// summed over its containers (or the one container named).
struct ResourceMetricsClient: Sendable {
    static let podMetrics = GroupVersionResource(group: "metrics.k8s.io", version: "v1beta1", resource: "pods")

    let client: KubernetesClient

    /// The usage of `resource` by pod name; upstream's errors when the API fails or is empty.
    func podMetrics(resource: String, namespace: String, selector: String, container: String?) async throws(ReplicaCalculationError) -> [String: PodMetric] {
        let list: ObjectList<JSONValue>
        do {
            list = try await client.dynamic.resource(Self.podMetrics).namespace(namespace).list(ListOptions(labelSelector: selector))
        } catch let error as APIError where error.code == 404 {
            // What client-go says of a 404 without a Status (no APIService for the group).
            throw ReplicaCalculationError(message: "unable to fetch metrics from resource metrics API: "
                + "the server could not find the requested resource (get pods.metrics.k8s.io)")
        } catch {
            throw ReplicaCalculationError(message: "unable to fetch metrics from resource metrics API: \(AutoscalerSync.message(of: error))")
        }
        guard !list.items.isEmpty else { throw ReplicaCalculationError(message: "no metrics returned from resource metrics API") }
        var metrics: [String: PodMetric] = [:]
        for item in list.items {
            guard let name = item.name, let timestamp = item["timestamp"]?.stringValue.flatMap(Timestamp.init(rfc3339:)) else { continue }
            let containers = (item["containers"]?.arrayValue ?? []).filter { container == nil || $0["name"]?.stringValue == container }
            let usages = containers.map { ResourceQuantity($0[path: "usage", resource]) }
            // A pod missing the resource in a container (or without the named container) has no usage.
            guard !usages.isEmpty, usages.allSatisfy({ $0 != nil }) else { continue }
            // A `metav1.Duration`, as metrics-server writes windows (`15.004s`, `1m0.5s`).
            let window = GoDuration.duration(item["window"]?.stringValue ?? "") ?? .zero
            metrics[name] = PodMetric(timestamp: timestamp, window: window,
                                      milliValue: usages.reduce(Int64(0)) { $0 + ($1?.milliValue ?? 0) })
        }
        return metrics
    }
}
