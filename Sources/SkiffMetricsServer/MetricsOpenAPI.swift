import SkiffAPI
import SkiffSchemas

/// The OpenAPI definitions of `NodeMetrics`, `PodMetrics` and their lists, as metrics-server
/// publishes them (the aggregator merges them into the cluster's documents, so `kubectl explain
/// nodemetrics` works).
enum MetricsOpenAPI {
    static let time: JSONValue = [
        "$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time",
        "description": "The following fields define time interval from which metrics were collected from the interval [Timestamp-Window, Timestamp].",
    ]
    static let window: JSONValue = ["type": "string"]
    static let usage: JSONValue = [
        "type": "object", "description": "The memory working set and CPU usage.",
        "additionalProperties": ["$ref": "#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity"],
    ]
    static let containerMetrics = "io.k8s.metrics.pkg.apis.metrics.v1beta1.ContainerMetrics"

    static let definitions: [String: JSONValue] = {
        let node = KindDefinitions.definitions(
            name: MetricsResources.nodes.definitionName, group: MetricsResources.group, version: MetricsResources.version, kind: "NodeMetrics",
            schema: ["description": "NodeMetrics sets resource usage metrics of a node.", "required": ["timestamp", "window", "usage"],
                     "properties": ["timestamp": time, "window": window, "usage": usage]])
        let pod = KindDefinitions.definitions(
            name: MetricsResources.pods.definitionName, group: MetricsResources.group, version: MetricsResources.version, kind: "PodMetrics",
            schema: ["description": "PodMetrics sets resource usage metrics of a pod.", "required": ["timestamp", "window", "containers"],
                     "properties": [
                         "timestamp": time, "window": window,
                         "containers": ["type": "array", "description": "Metrics for all containers are collected within the same time window.",
                                        "items": ["$ref": .string("#/definitions/" + containerMetrics)], "x-kubernetes-list-type": "atomic"],
                     ]])
        let container: JSONValue = [
            "type": "object", "description": "ContainerMetrics sets resource usage metrics of a container.", "required": ["name", "usage"],
            "properties": ["name": ["type": "string", "description": "Container name corresponding to the one from pod.spec.containers."], "usage": usage],
        ]
        return node.merging(pod) { first, _ in first }.merging([containerMetrics: container]) { first, _ in first }
    }()
}
