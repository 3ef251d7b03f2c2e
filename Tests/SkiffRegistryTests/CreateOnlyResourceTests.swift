import Logging
import SkiffAPI
import SkiffRegistry
import SkiffStorage
import SkiffTesting
import Synchronization
import Testing

/// Resources that are only created (the reviews, `bindings`) store nothing: the registry starts
/// no watch cache, and so no storage watch, for them.
struct CreateOnlyResourceTests {
    static let reviews = ResourceInfo(group: "example.com", version: "v1", kind: "GadgetReview", plural: "gadgetreviews",
                                      namespaced: false, verbs: ["create"], definitionName: "com.example.v1.GadgetReview")

    @Test func getNoCacheAndNoStorageWatch() async throws {
        let storage = WatchRecordingStorage()
        let registry = Registry(storage: storage, logger: Logger(label: "test"))
        registry.register(BuiltinResources.entries(storage: storage) + [Registry.Entry(info: Self.reviews, strategy: DefaultStrategy())])
        #expect(!Self.reviews.isCached)
        let bindings = try #require(registry.store(for: GroupResource(group: "", resource: "bindings")))
        #expect(!bindings.info.isCached)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await registry.run() }
            // Ready without them: the caches that do run have loaded, each over its storage watch.
            try await registry.waitUntilReady()
            let configMaps = try registry.configMaps
            try await storage.waitForWatch(of: configMaps.info.keyPrefix)
            // Registered while running, too: beside a readable resource, whose cache's watch starts.
            let later = ResourceInfo(group: "example.com", version: "v2", kind: "GadgetReview", plural: "gadgetreviews",
                                     namespaced: false, verbs: ["create"], definitionName: "com.example.v2.GadgetReview")
            let gadgets = RegistryLifecycleTests.gadgets
            registry.register([Registry.Entry(info: later, strategy: DefaultStrategy()), Registry.Entry(info: gadgets, strategy: DefaultStrategy())])
            #expect(registry.resources.contains(later))
            try await storage.waitForWatch(of: gadgets.keyPrefix)
            let watched = storage.watchedPrefixes
            #expect(!watched.contains(bindings.info.keyPrefix))
            #expect(!watched.contains(Self.reviews.keyPrefix))
            #expect(!watched.contains(later.keyPrefix))
            let cached = registry.resources.filter(\.isCached)
            #expect(Set(cached.map(\.keyPrefix)).isSubset(of: watched))
            group.cancelAll()
        }
    }
}

/// A memory store that records the prefixes watched.
final class WatchRecordingStorage: ForwardingStorage {
    let base: any Storage = MemoryStorage()
    private let watched = Mutex<Set<String>>([])

    var watchedPrefixes: Set<String> { watched.withLock { $0 } }

    /// Waits until `prefix` is watched (a registry's caches start their watches as they load).
    func waitForWatch(of prefix: String) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !watchedPrefixes.contains(prefix) {
            guard ContinuousClock.now < deadline else { throw APIError.badRequest("\(prefix) was not watched") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    func watch(prefix: String, startRevision: Int64) -> WatchStream {
        watched.withLock { _ = $0.insert(prefix) }
        return base.watch(prefix: prefix, startRevision: startRevision)
    }
}
