import SkiffAPI
import SkiffDNS
import SkiffModels

/// Cluster objects for the resolver's tests.
enum Fixtures {
    static func service(
        _ name: String, namespace: String = "demo", clusterIP: String? = nil, type: String = "ClusterIP", externalName: String? = nil,
        ports: [CoreV1.ServicePort] = [], publishNotReady: Bool? = nil
    ) -> CoreV1.Service {
        var spec = CoreV1.ServiceSpec()
        spec.clusterIP = clusterIP
        spec.clusterIPs = clusterIP.map { [$0] }
        spec.type = type
        spec.externalName = externalName
        spec.ports = ports
        spec.publishNotReadyAddresses = publishNotReady
        return CoreV1.Service(metadata: ObjectMeta(name: name, namespace: namespace), spec: spec)
    }

    static func slice(
        _ service: String, namespace: String = "demo", suffix: String = "abc", ports: [DiscoveryV1.EndpointPort] = [],
        endpoints: [(ip: String, hostname: String?, ready: Bool?)]
    ) -> DiscoveryV1.EndpointSlice {
        DiscoveryV1.EndpointSlice(
            addressType: "IPv4",
            endpoints: endpoints.map { DiscoveryV1.Endpoint(addresses: [$0.ip], conditions: .init(ready: $0.ready), hostname: $0.hostname) },
            metadata: ObjectMeta(name: "\(service)-\(suffix)", namespace: namespace, labels: [serviceNameLabel: service]), ports: ports)
    }
}
