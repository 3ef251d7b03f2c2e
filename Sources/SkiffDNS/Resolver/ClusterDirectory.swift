import SkiffModels

/// What the resolver reads about the cluster: informer caches in a server (`InformerDirectory`),
/// fixed objects in tests.
public protocol ClusterDirectory: Sendable {
    /// The service `namespace/name`.
    func service(namespace: String, name: String) -> CoreV1.Service?
    /// Every service (reverse lookups).
    func services() -> [CoreV1.Service]
    /// The EndpointSlices of service `namespace/name` (label `kubernetes.io/service-name`).
    func endpointSlices(namespace: String, service: String) -> [DiscoveryV1.EndpointSlice]
    /// Every EndpointSlice (reverse lookups).
    func endpointSlices() -> [DiscoveryV1.EndpointSlice]
    /// Whether the namespace exists (`ns.svc.<zone>` is NODATA then, else NXDOMAIN).
    func namespaceExists(_ name: String) -> Bool
}

/// The EndpointSlice label naming the service a slice belongs to.
public let serviceNameLabel = "kubernetes.io/service-name"
