import SkiffAPI
import SkiffRegistry

/// The resources of `metrics.k8s.io/v1beta1` as metrics-server serves them: `NodeMetrics`
/// (`nodes`, cluster-scoped) and `PodMetrics` (`pods`, namespaced), read-only (`get`, `list`).
public enum MetricsResources {
    public static let group = "metrics.k8s.io"
    public static let version = "v1beta1"

    public static let nodes = ResourceInfo(group: group, version: version, kind: "NodeMetrics", plural: "nodes", singular: "",
                                           namespaced: false, verbs: ["get", "list"],
                                           definitionName: "io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetrics")
    public static let pods = ResourceInfo(group: group, version: version, kind: "PodMetrics", plural: "pods", singular: "",
                                          namespaced: true, verbs: ["get", "list"],
                                          definitionName: "io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetrics")

    /// The registry entries of both.
    public static var entries: [Registry.Entry] {
        [Registry.Entry(info: nodes, strategy: MetricsStrategy(kind: .node)), Registry.Entry(info: pods, strategy: MetricsStrategy(kind: .pod))]
    }

    /// A `NodeMetrics` of node `name` with its `labels`, made at `now`.
    static func nodeMetrics(name: String, labels: [String: String], usage: ResourceUsage, now: Timestamp) -> JSONValue {
        [
            "kind": "NodeMetrics", "apiVersion": .string(nodes.apiVersion),
            "metadata": metadata(name: name, namespace: nil, labels: labels, now: now),
            "timestamp": .string(usage.timestamp.rfc3339), "window": .string(usage.windowText),
            "usage": ["cpu": .string(usage.cpuQuantity), "memory": .string(usage.memoryQuantity)],
        ]
    }

    /// A `PodMetrics` of pod `namespace/name` with its `labels` and its containers' usages (in
    /// the pod's container order), made at `now`; the timestamp and window are the first
    /// container's.
    static func podMetrics(namespace: String, name: String, labels: [String: String], containers: [(name: String, usage: ResourceUsage)],
                           now: Timestamp) -> JSONValue {
        let first = containers.first?.usage
        return [
            "kind": "PodMetrics", "apiVersion": .string(pods.apiVersion),
            "metadata": metadata(name: name, namespace: namespace, labels: labels, now: now),
            "timestamp": .string((first?.timestamp ?? now).rfc3339), "window": .string(first?.windowText ?? "0s"),
            "containers": .array(containers.map { container in
                ["name": .string(container.name), "usage": ["cpu": .string(container.usage.cpuQuantity), "memory": .string(container.usage.memoryQuantity)]]
            }),
        ]
    }

    private static func metadata(name: String, namespace: String?, labels: [String: String], now: Timestamp) -> JSONValue {
        var metadata: JSONValue = ["name": .string(name), "creationTimestamp": .string(now.rfc3339)]
        if let namespace { metadata["namespace"] = .string(namespace) }
        if !labels.isEmpty { metadata["labels"] = .object(labels.mapValues(JSONValue.string)) }
        return metadata
    }
}

/// Metrics objects are written by the server only: creating one is refused as upstream's
/// read-only endpoints refuse it. The table shows the usage and window as metrics-server's.
struct MetricsStrategy: ResourceStrategy {
    enum Kind { case node, pod }

    let kind: Kind

    var openAPIDefinitions: [String: JSONValue] { MetricsOpenAPI.definitions }

    func beforeCreate(_ object: inout JSONValue, context: StrategyContext) async throws(APIError) {
        throw .methodNotAllowed("the server does not allow this method on the requested resource")
    }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("CPU", description: "CPU usage"), TableColumn("Memory", description: "Memory usage"),
         TableColumn("Window", description: "Interval over which metrics were measured")]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let usages: [JSONValue]
        switch kind {
        case .node: usages = [object[path: "usage"] ?? [:]]
        case .pod: usages = (object[path: "containers"]?.arrayValue ?? []).map { $0[path: "usage"] ?? [:] }
        }
        let sum = { (resource: String, binary: Bool) -> JSONValue in
            let total = usages.compactMap { ResourceQuantity($0[path: resource]) }.reduce(ResourceQuantity(.int(0))!, +)
            return .string(total.canonical(binary: binary))
        }
        return [.string(object.name ?? ""), sum("cpu", false), sum("memory", true), object[path: "window"] ?? ""]
    }
}
