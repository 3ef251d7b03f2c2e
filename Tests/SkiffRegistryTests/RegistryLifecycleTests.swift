import SkiffAPI
import SkiffRegistry
import Testing

/// Resources registered and unregistered while the registry runs (custom resources).
struct RegistryLifecycleTests {
    static let gadgets = ResourceInfo(group: "example.com", version: "v1", kind: "Gadget", plural: "gadgets", namespaced: true,
                                      definitionName: "com.example.v1.Gadget")

    @Test func resourcesRegisteredWhileRunningAreServedAndStopOnUnregister() async throws {
        try await withRegistry { registry in
            registry.register([Registry.Entry(info: Self.gadgets, strategy: DefaultStrategy())])
            let store = try #require(registry.store(for: Self.gadgets.groupVersionResource))
            #expect(registry.resources.contains(Self.gadgets))
            _ = try await store.create(namespace: "test", object: ["metadata": ["name": "g1"]])
            var options = ListOptions()
            options.resourceVersion = "0"
            // A cache registered while running starts loading at once; on a loaded machine that
            // may outlast one freshness wait (504), so the watch is asked again until it loads.
            var loaded = try? await store.watch(namespace: nil, options: options)
            for _ in 0..<10 where loaded == nil { loaded = try? await store.watch(namespace: nil, options: options) }
            let subscription = try #require(loaded, "the new cache loads")
            #expect(subscription.initialEvents.compactMap { $0.object?.name } == ["g1"])

            registry.unregister([Self.gadgets.groupVersionResource])
            #expect(registry.store(for: Self.gadgets.groupVersionResource) == nil)
            #expect(!registry.resources.contains(Self.gadgets))
            // The stopped cache finishes its watchers.
            for await _ in subscription.events {}
        }
    }
}
