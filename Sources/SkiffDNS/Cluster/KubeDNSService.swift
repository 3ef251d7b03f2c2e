import SkiffAPI
import SkiffClient
import SkiffModels

/// The `kube-system/kube-dns` Service as kubeadm's DNS add-on creates it (labels
/// `k8s-app=kube-dns`, `kubernetes.io/cluster-service=true` and `kubernetes.io/name=KubeDNS`, which
/// `kubectl cluster-info` lists as "KubeDNS"; ports dns/53 UDP, dns-tcp/53 TCP, metrics/9153),
/// without a selector: its Endpoints and EndpointSlice name the address the DNS server answers on
/// (the `kubernetes` service's pattern), kept up to date here.
public struct KubeDNSService: Sendable {
    public static let namespace = "kube-system"
    public static let name = "kube-dns"
    static let sliceManager = "skiff-dns"

    /// Where the Service points.
    public struct Configuration: Sendable {
        /// The Service's ClusterIP (the tenth address of the service range, as kubeadm picks).
        public var clusterIP = "10.96.0.10"
        /// The address pods reach the server at.
        public var address: String
        /// The port the server listens on (the Service's target port).
        public var port: Int32 = 53

        public init(address: String) {
            self.address = address
        }
    }

    let configuration: Configuration
    let client: KubernetesClient

    public init(configuration: Configuration, client: KubernetesClient) {
        self.configuration = configuration
        self.client = client
    }

    /// Creates the Service when missing (an existing one is left as it is), and writes its
    /// Endpoints and EndpointSlice.
    public func ensure() async throws {
        // Get first: creating it again would be refused for its taken ClusterIP (422) before its name (409).
        let services = client.core.v1.services(Self.namespace)
        do {
            _ = try await services.get(Self.name)
        } catch let error as APIError where error.isNotFound {
            do {
                _ = try await services.create(service)
            } catch let error as APIError where error.reason == .alreadyExists {}
        }
        try await put(endpoints, client.core.v1.endpoints(Self.namespace))
        try await put(endpointSlice, client.resource(DiscoveryV1.EndpointSlice.self, namespace: Self.namespace))
    }

    private func put<Object: KubernetesObject>(_ object: Object, _ resource: ResourceClient<Object>) async throws {
        do {
            let current = try await resource.get(object.name)
            var desired = object
            desired.metadata?.resourceVersion = current.metadata?.resourceVersion
            _ = try await resource.update(desired)
        } catch let error as APIError where error.isNotFound {
            _ = try await resource.create(object)
        }
    }

    static let labels = ["k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "KubeDNS"]

    var service: CoreV1.Service {
        var service = CoreV1.Service(metadata: ObjectMeta(name: Self.name, namespace: Self.namespace))
        service.metadata?.labels = Self.labels
        service.metadata?.annotations = ["prometheus.io/port": "9153", "prometheus.io/scrape": "true"]
        var spec = CoreV1.ServiceSpec()
        spec.clusterIP = configuration.clusterIP
        spec.type = "ClusterIP"
        spec.ports = [
            CoreV1.ServicePort(name: "dns", port: 53, protocol: "UDP", targetPort: .int(Int(configuration.port))),
            CoreV1.ServicePort(name: "dns-tcp", port: 53, protocol: "TCP", targetPort: .int(Int(configuration.port))),
            CoreV1.ServicePort(name: "metrics", port: 9153, protocol: "TCP", targetPort: .int(9153)),
        ]
        service.spec = spec
        return service
    }

    var endpoints: CoreV1.Endpoints {
        var endpoints = CoreV1.Endpoints(metadata: ObjectMeta(name: Self.name, namespace: Self.namespace))
        endpoints.metadata?.labels = Self.labels
        endpoints.subsets = [
            CoreV1.EndpointSubset(
                addresses: [CoreV1.EndpointAddress(ip: configuration.address)],
                ports: [CoreV1.EndpointPort(name: "dns", port: configuration.port, protocol: "UDP"),
                        CoreV1.EndpointPort(name: "dns-tcp", port: configuration.port, protocol: "TCP")])
        ]
        return endpoints
    }

    var endpointSlice: DiscoveryV1.EndpointSlice {
        var slice = DiscoveryV1.EndpointSlice(
            addressType: "IPv4",
            endpoints: [DiscoveryV1.Endpoint(addresses: [configuration.address], conditions: .init(ready: true, serving: true, terminating: false))],
            metadata: ObjectMeta(name: Self.name, namespace: Self.namespace),
            ports: [DiscoveryV1.EndpointPort(name: "dns", port: configuration.port, protocol: "UDP"),
                    DiscoveryV1.EndpointPort(name: "dns-tcp", port: configuration.port, protocol: "TCP")])
        slice.metadata?.labels = Self.labels.merging([serviceNameLabel: Self.name, "endpointslice.kubernetes.io/managed-by": Self.sliceManager]) { $1 }
        return slice
    }
}
