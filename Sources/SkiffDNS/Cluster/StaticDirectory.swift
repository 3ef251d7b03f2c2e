import SkiffModels

/// A cluster of fixed objects, indexed as the informers index them: for tests, benchmarks and
/// answering from a snapshot.
public struct StaticDirectory: ClusterDirectory {
    private let servicesByKey: [String: CoreV1.Service]
    private let slicesByService: [String: [DiscoveryV1.EndpointSlice]]
    private let namespaces: Set<String>

    /// A directory of `services` and `slices`; namespaces are those given plus those of the services.
    public init(services: [CoreV1.Service] = [], slices: [DiscoveryV1.EndpointSlice] = [], namespaces: Set<String> = []) {
        servicesByKey = Dictionary(services.map { ("\($0.namespace)/\($0.name)", $0) }, uniquingKeysWith: { $1 })
        slicesByService = Dictionary(grouping: slices) { "\($0.namespace)/\($0.metadata?.labels?[serviceNameLabel] ?? "")" }
        self.namespaces = namespaces.union(services.map(\.namespace))
    }

    public func service(namespace: String, name: String) -> CoreV1.Service? { servicesByKey["\(namespace)/\(name)"] }

    public func services() -> [CoreV1.Service] { Array(servicesByKey.values) }

    public func endpointSlices(namespace: String, service: String) -> [DiscoveryV1.EndpointSlice] {
        slicesByService["\(namespace)/\(service)"] ?? []
    }

    public func endpointSlices() -> [DiscoveryV1.EndpointSlice] { slicesByService.values.flatMap { $0 } }

    public func namespaceExists(_ name: String) -> Bool { namespaces.contains(name) }
}
