import Metrics
import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffStorage
import Synchronization

/// Every resource the server serves, each with its store and watch cache.
public final class Registry: Service {
    /// A resource to serve: its description and its strategy.
    public struct Entry: Sendable {
        public var info: ResourceInfo
        public var strategy: any ResourceStrategy

        public init(info: ResourceInfo, strategy: any ResourceStrategy) {
            self.info = info
            self.strategy = strategy
        }
    }

    public let storage: any Storage
    /// How objects are written to `storage`.
    public let storageMediaType: StorageMediaType
    /// What each resource's values go through at rest (encryption), by group/resource; nil: as serialized.
    private let transformers: @Sendable (GroupResource) -> (any ValueTransformer)?
    private let logger: Logger
    private let cacheConfiguration: WatchCache.Configuration
    private let metricsFactory: (any MetricsFactory)?
    private let stores = Mutex<[GroupVersionResource: ResourceStore]>([:])
    private let lifecycle = Mutex(CacheLifecycle())

    /// A registry over `storage`, writing objects as `storageMediaType`, then through the
    /// resource's transformer (`--encryption-provider-config`) if `transformers` gives one; each
    /// store times its storage calls (`etcd_request_duration_seconds`) through `metricsFactory`,
    /// by default the process's.
    public init(storage: any Storage, storageMediaType: StorageMediaType = .json,
                transformers: @escaping @Sendable (GroupResource) -> (any ValueTransformer)? = { _ in nil },
                cacheConfiguration: WatchCache.Configuration = .init(), logger: Logger, metricsFactory: (any MetricsFactory)? = nil) {
        self.storage = storage
        self.storageMediaType = storageMediaType
        self.transformers = transformers
        self.cacheConfiguration = cacheConfiguration
        self.metricsFactory = metricsFactory
        self.logger = logger
    }

    /// Adds resources to serve, replacing those with the same group/version/resource (the last
    /// entry wins). While the registry runs, their caches start at once and the replaced ones stop.
    public func register(_ entries: [Entry]) {
        var latest: [GroupVersionResource: Entry] = [:]
        for entry in entries { latest[entry.info.groupVersionResource] = entry }
        let factory = metricsFactory ?? MetricsSystem.factory
        let created = latest.values.map { entry in
            ResourceStore(info: entry.info, strategy: entry.strategy,
                          storage: MeasuredStorage(base: storage, type: entry.info.groupResource.description, factory: factory),
                          mediaType: storageMediaType, transformer: transformers(entry.info.groupResource),
                          cacheConfiguration: cacheConfiguration, logger: logger)
        }
        lifecycle.withLock { lifecycle in
            let replaced = stores.withLock { stores in
                created.compactMap { store in stores.updateValue(store, forKey: store.info.groupVersionResource) }
            }
            for store in replaced { lifecycle.stop(store) }
            for store in created { lifecycle.add(store) }
        }
    }

    /// Stops serving resources (custom resources whose definition is gone): their stores leave
    /// the registry and their caches stop.
    public func unregister(_ resources: [GroupVersionResource]) {
        lifecycle.withLock { lifecycle in
            let removed = stores.withLock { stores in resources.compactMap { stores.removeValue(forKey: $0) } }
            for store in removed { lifecycle.stop(store) }
        }
    }

    /// Changes with every register and unregister (also of a resource replaced by one with the
    /// same names but another schema), for documents built from the registry's resources.
    public var generation: Int { lifecycle.withLock { $0.generation } }

    /// The store of a group/version/resource.
    public func store(for resource: GroupVersionResource) -> ResourceStore? {
        stores.withLock { $0[resource] }
    }

    /// The store of a group/resource at its preferred served version (autoscaling's
    /// horizontalpodautoscalers answer with v2, not the v1 view of the same storage).
    public func store(for resource: GroupResource) -> ResourceStore? {
        stores.withLock { stores in
            stores.values.filter { $0.info.groupResource == resource }.min { APIVersionPriority.precedes($0.info.version, $1.info.version) }
        }
    }

    /// Every served resource, sorted by group, version and name.
    public var resources: [ResourceInfo] {
        stores.withLock { Array($0.values.map(\.info)) }.sorted {
            ($0.group, $0.version, $0.plural) < ($1.group, $1.version, $1.plural)
        }
    }

    /// Runs every watch cache (also of resources registered later) and the bookmark ticker (every
    /// minute, as upstream) until graceful shutdown or cancellation: a `Service` with nothing to
    /// drain, so run it before the HTTP server in a `ServiceGroup` (which shuts down in reverse),
    /// so that watches end first.
    public func run() async {
        await run(bookmarkInterval: .seconds(60))
    }

    /// Runs every watch cache and a bookmark ticker of `bookmarkInterval` until graceful
    /// shutdown or cancellation.
    public func run(bookmarkInterval: Duration) async {
        await cancelWhenGracefulShutdown { await self.runCaches(bookmarkInterval: bookmarkInterval) }
    }

    private func runCaches(bookmarkInterval: Duration) async {
        let (started, continuation) = AsyncStream<CacheLifecycle.Run>.makeStream()
        let initial = lifecycle.withLock { $0.start(continuation) }
        await withDiscardingTaskGroup { group in
            for run in initial { group.addTask { await run.run() } }
            group.addTask {
                while !Task.isCancelled {
                    do { try await Task.sleep(for: bookmarkInterval) } catch { return }
                    for store in self.stores.withLock({ Array($0.values) }) { store.cache.sendBookmarks() }
                }
            }
            for await run in started { group.addTask { await run.run() } }
        }
    }

    /// Waits until every cache has loaded (the server is ready then).
    public func waitUntilReady() async throws {
        let all = stores.withLock { $0.values.filter(\.info.isCached) }
        for store in all {
            // A cache's first load has no freshness deadline: on a loaded machine it may take
            // longer than a read's wait (upstream's server likewise waits for its caches to sync).
            while !store.cache.isFresh(0) {
                try? await store.cache.waitUntilFresh(0)
                if !store.cache.isFresh(0) { try await Task.sleep(for: .milliseconds(10)) }
            }
        }
    }
}
