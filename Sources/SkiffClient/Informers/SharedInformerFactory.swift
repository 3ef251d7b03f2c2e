import Logging
import ServiceLifecycle
import SkiffAPI
import Synchronization

/// Hands out one shared informer per resource, so that controllers asking for the same
/// resource share one list-and-watch and one cache (client-go's `SharedInformerFactory`).
///
/// `run()` runs every informer handed out, including those asked for after it started. A
/// `Service`: a cache has nothing to drain, so graceful shutdown stops the informers as
/// cancellation does (run it after the controllers that read it in a `ServiceGroup`, so that
/// they drain first).
public final class SharedInformerFactory: Service {
    private let client: KubernetesClient
    private let namespace: String?
    private let configuration: ReflectorConfiguration
    private let stripsManagedFields: Bool
    private let logger: Logger
    private let informers = Mutex<[String: any InformerService]>([:])
    private let started: AsyncStream<any InformerService>
    private let startedInput: AsyncStream<any InformerService>.Continuation

    /// Informers over `client`, in `namespace` (nil: all namespaces), with `configuration`
    /// (resync period, page size) for every informer. With `stripsManagedFields` the cached
    /// objects have no `metadata.managedFields` (`ResourceClient.strippingManagedFields()`), as
    /// upstream components trim their caches: less to decode and to keep.
    public init(
        client: KubernetesClient, namespace: String? = nil, configuration: ReflectorConfiguration = .init(), stripsManagedFields: Bool = false,
        logger: Logger
    ) {
        self.client = client
        self.namespace = namespace
        self.configuration = configuration
        self.stripsManagedFields = stripsManagedFields
        self.logger = logger
        (started, startedInput) = AsyncStream.makeStream()
    }

    /// The shared informer of unstructured `resource` objects.
    public func informer(for resource: GroupVersionResource) -> SharedInformer<JSONValue> {
        shared(key: "dynamic:\(resource)") {
            SharedInformer(
                source: trimmed(namespaced(client.dynamic.resource(resource))), identity: .unstructured, indexer: .objects(),
                configuration: configuration, logger: logger(for: resource))
        }
    }

    /// The shared informer of typed `type` objects.
    public func informer<Object: KubernetesObject>(for type: Object.Type) -> SharedInformer<Object> {
        shared(key: "typed:\(Object.groupVersionResource)") {
            SharedInformer(
                source: trimmed(client.resource(type, namespace: namespace)), identity: .typed,
                indexer: .typedObjects(),
                configuration: configuration, logger: logger(for: Object.groupVersionResource))
        }
    }

    /// Runs every informer until graceful shutdown or cancellation.
    public func run() async {
        let started = self.started
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for await informer in started {
                    group.addTask { await informer.run() }
                }
            }
        }
    }

    /// Waits until every informer handed out so far has synced; false if cancelled first.
    public func waitForCacheSync() async -> Bool {
        for informer in informers.withLock({ Array($0.values) }) {
            guard await informer.waitForCacheSync() else { return false }
        }
        return true
    }

    private func shared<Object: Sendable>(key: String, make: () -> SharedInformer<Object>) -> SharedInformer<Object> {
        let (informer, isNew) = informers.withLock { informers -> (SharedInformer<Object>, Bool) in
            if let existing = informers[key] as? SharedInformer<Object> { return (existing, false) }
            let informer = make()
            informers[key] = informer
            return (informer, true)
        }
        if isNew { startedInput.yield(informer) }
        return informer
    }

    private func namespaced<Object>(_ client: ResourceClient<Object>) -> ResourceClient<Object> {
        guard let namespace else { return client }
        return client.namespace(namespace)
    }

    private func trimmed<Object>(_ client: ResourceClient<Object>) -> ResourceClient<Object> {
        stripsManagedFields ? client.strippingManagedFields() : client
    }

    private func logger(for resource: GroupVersionResource) -> Logger {
        var logger = logger
        logger[metadataKey: "resource"] = "\(resource.groupResource)"
        return logger
    }
}

/// What the factory needs of its informers, whatever their object type.
protocol InformerService: Sendable {
    func run() async
    func waitForCacheSync() async -> Bool
}

extension SharedInformer: InformerService {}
