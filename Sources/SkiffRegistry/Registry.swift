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
    private let logger: Logger
    private let cacheConfiguration: WatchCache.Configuration
    private let stores = Mutex<[GroupVersionResource: ResourceStore]>([:])

    public init(storage: any Storage, cacheConfiguration: WatchCache.Configuration = .init(), logger: Logger) {
        self.storage = storage
        self.cacheConfiguration = cacheConfiguration
        self.logger = logger
    }

    /// Adds resources to serve. Their caches start with the next `run()`.
    public func register(_ entries: [Entry]) {
        stores.withLock { stores in
            for entry in entries {
                stores[entry.info.groupVersionResource] = ResourceStore(
                    info: entry.info, strategy: entry.strategy, storage: storage, registry: self,
                    cacheConfiguration: cacheConfiguration, logger: logger)
            }
        }
    }

    /// The store of a group/version/resource.
    public func store(for resource: GroupVersionResource) -> ResourceStore? {
        stores.withLock { $0[resource] }
    }

    /// The store of a group/resource (any served version).
    public func store(for resource: GroupResource) -> ResourceStore? {
        stores.withLock { stores in stores.values.first { $0.info.groupResource == resource } }
    }

    /// Every served resource, sorted by group, version and name.
    public var resources: [ResourceInfo] {
        stores.withLock { Array($0.values.map(\.info)) }.sorted {
            ($0.group, $0.version, $0.plural) < ($1.group, $1.version, $1.plural)
        }
    }

    /// Runs every watch cache and the bookmark ticker (every minute, as upstream) until graceful
    /// shutdown or cancellation: a `Service` with nothing to drain, so run it before the HTTP
    /// server in a `ServiceGroup` (which shuts down in reverse), so that watches end first.
    public func run() async {
        await run(bookmarkInterval: .seconds(60))
    }

    /// Runs every watch cache and a bookmark ticker of `bookmarkInterval` until graceful
    /// shutdown or cancellation.
    public func run(bookmarkInterval: Duration) async {
        let all = stores.withLock { Array($0.values) }
        await cancelWhenGracefulShutdown { await Self.run(all, bookmarkInterval: bookmarkInterval) }
    }

    private static func run(_ all: [ResourceStore], bookmarkInterval: Duration) async {
        await withDiscardingTaskGroup { group in
            for store in all {
                group.addTask { await store.cache.run() }
            }
            group.addTask {
                while !Task.isCancelled {
                    do { try await Task.sleep(for: bookmarkInterval) } catch { return }
                    for store in all { store.cache.sendBookmarks() }
                }
            }
        }
    }

    /// Waits until every cache has loaded (the server is ready then).
    public func waitUntilReady() async throws {
        let all = stores.withLock { Array($0.values) }
        for store in all { try await store.cache.waitUntilFresh(0) }
    }

    /// Refuses creates in a namespace that does not exist or is terminating (upstream's
    /// NamespaceLifecycle admission).
    /// A namespace missing from the cache is read from storage, as it may have just been created.
    func checkNamespaceAcceptsCreates(_ namespace: String) async throws {
        let namespaces = GroupResource(group: "", resource: "namespaces")
        guard let store = store(for: namespaces) else { return }
        var object = store.cache.object(forKey: store.info.key(namespace: nil, name: namespace))?.object
        if object == nil { object = try await store.get(namespace: nil, name: namespace) }
        guard let object else { throw APIError.notFound(namespaces, name: namespace) }
        if object.deletionTimestamp != nil || object[path: "status", "phase"]?.stringValue == "Terminating" {
            throw APIError(
                code: 403, reason: .forbidden,
                message: "unable to create new content in namespace \(namespace) because it is being terminated",
                details: .init(causes: [.init(type: CauseType(rawValue: "NamespaceTerminating"),
                    message: "namespace \(namespace) is being terminated", field: "metadata.namespace")]))
        }
    }
}
