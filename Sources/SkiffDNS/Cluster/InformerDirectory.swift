import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// The cluster as informers cache it: Services, EndpointSlices (indexed by the service they
/// belong to) and Namespaces, each one list-and-watch.
public final class InformerDirectory: ClusterDirectory {
    private static let serviceIndex = "service"

    private let serviceInformer: SharedInformer<CoreV1.Service>
    private let sliceInformer: SharedInformer<DiscoveryV1.EndpointSlice>
    private let namespaceInformer: SharedInformer<CoreV1.Namespace>

    /// Informers over `client`; `run()` fills them.
    public init(client: KubernetesClient, logger: Logger) {
        func informer<Object: KubernetesObject>(_ type: Object.Type, indexers: [String: Indexer<Object>.IndexFunction] = [:]) -> SharedInformer<Object> {
            SharedInformer(
                source: client.resource(type).strippingManagedFields(), identity: .typed, indexer: Indexer(key: { $0.cacheKey }, indexers: indexers),
                logger: logger)
        }
        serviceInformer = informer(CoreV1.Service.self)
        sliceInformer = informer(DiscoveryV1.EndpointSlice.self, indexers: [
            Self.serviceIndex: { slice in slice.metadata?.labels?[serviceNameLabel].map { ["\(slice.namespace)/\($0)"] } ?? [] }
        ])
        namespaceInformer = informer(CoreV1.Namespace.self)
    }

    /// Runs the informers until cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.serviceInformer.run() }
            group.addTask { await self.sliceInformer.run() }
            group.addTask { await self.namespaceInformer.run() }
        }
    }

    /// Waits until every cache holds its first list; false if cancelled first.
    public func waitForCacheSync() async -> Bool {
        let synced = (await serviceInformer.waitForCacheSync(), await sliceInformer.waitForCacheSync(), await namespaceInformer.waitForCacheSync())
        return synced.0 && synced.1 && synced.2
    }

    public func service(namespace: String, name: String) -> CoreV1.Service? {
        serviceInformer.indexer.get(key: "\(namespace)/\(name)")
    }

    public func services() -> [CoreV1.Service] { serviceInformer.indexer.list() }

    public func endpointSlices(namespace: String, service: String) -> [DiscoveryV1.EndpointSlice] {
        sliceInformer.indexer.byIndex(Self.serviceIndex, value: "\(namespace)/\(service)")
    }

    public func endpointSlices() -> [DiscoveryV1.EndpointSlice] { sliceInformer.indexer.list() }

    public func namespaceExists(_ name: String) -> Bool { namespaceInformer.indexer.get(key: name) != nil }
}
