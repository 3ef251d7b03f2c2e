import SkiffAPI
import SkiffClient
import SkiffModels

/// What registers a metrics server with the aggregator, as metrics-server's manifests (and k3s'
/// bundled copy) do: the Service `kube-system/metrics-server` (port `https` 443, label
/// `k8s-app=metrics-server`), here without a selector and with Endpoints naming the address the
/// server listens on, and the APIService `v1beta1.metrics.k8s.io` (`groupPriorityMinimum` 100,
/// `versionPriority` 100, `insecureSkipTLSVerify`), and the ClusterRole
/// `system:aggregated-metrics-reader` (reading `metrics.k8s.io`, aggregated into `view`, `edit`
/// and `admin`).
public struct MetricsAPIService: Sendable {
    public static let namespace = "kube-system"
    public static let name = "metrics-server"
    static let labels = ["k8s-app": "metrics-server"]

    let client: KubernetesClient
    /// Where the server listens.
    let address: String
    let port: Int32

    public init(client: KubernetesClient, address: String, port: Int32) {
        self.client = client
        self.address = address
        self.port = port
    }

    /// The field manager of what it writes.
    static let fieldManager = "skiff-metrics-server"

    /// Applies the Service (its allocated ClusterIP kept), its Endpoints, the APIService and the
    /// reader ClusterRole.
    public func ensure() async throws {
        _ = try await client.resource(RbacV1.ClusterRole.self).apply(readerRole, fieldManager: Self.fieldManager, force: true)
        _ = try await client.core.v1.services(Self.namespace).apply(service, fieldManager: Self.fieldManager, force: true)
        _ = try await client.core.v1.endpoints(Self.namespace).apply(endpoints, fieldManager: Self.fieldManager, force: true)
        _ = try await client.resource(ApiregistrationV1.APIService.self).apply(apiService, fieldManager: Self.fieldManager, force: true)
    }

    private var metadata: ObjectMeta { ObjectMeta(name: Self.name, namespace: Self.namespace, labels: Self.labels) }

    var service: CoreV1.Service {
        CoreV1.Service(metadata: metadata, spec: CoreV1.ServiceSpec(ports: [
            CoreV1.ServicePort(name: "https", port: 443, protocol: "TCP", targetPort: .int(Int(port)))
        ]))
    }

    var endpoints: CoreV1.Endpoints {
        CoreV1.Endpoints(metadata: metadata, subsets: [
            CoreV1.EndpointSubset(addresses: [CoreV1.EndpointAddress(ip: address)], ports: [CoreV1.EndpointPort(name: "https", port: port, protocol: "TCP")])
        ])
    }

    var readerRole: RbacV1.ClusterRole {
        let aggregated = ["rbac.authorization.k8s.io/aggregate-to-admin", "rbac.authorization.k8s.io/aggregate-to-edit",
                          "rbac.authorization.k8s.io/aggregate-to-view"]
        var labels = Self.labels
        for label in aggregated { labels[label] = "true" }
        return RbacV1.ClusterRole(metadata: ObjectMeta(name: "system:aggregated-metrics-reader", labels: labels), rules: [
            RbacV1.PolicyRule(apiGroups: [MetricsResources.group], resources: ["pods", "nodes"], verbs: ["get", "list", "watch"])
        ])
    }

    var apiService: ApiregistrationV1.APIService {
        var apiService = ApiregistrationV1.APIService(metadata: ObjectMeta(name: "\(MetricsResources.version).\(MetricsResources.group)"))
        apiService.metadata?.labels = Self.labels
        apiService.spec = ApiregistrationV1.APIServiceSpec(
            group: MetricsResources.group, groupPriorityMinimum: 100, insecureSkipTLSVerify: true,
            service: ApiregistrationV1.ServiceReference(name: Self.name, namespace: Self.namespace, port: 443),
            version: MetricsResources.version, versionPriority: 100)
        return apiService
    }
}
