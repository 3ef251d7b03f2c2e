import SkiffAPI
import SkiffRegistry
import Testing

/// Resources registered and unregistered while the registry runs (custom resources), and the CRD
/// deletion hold.
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
            let subscription = try await store.watch(namespace: nil, options: options)
            #expect(subscription.initialEvents.compactMap { $0.object?.object.name } == ["g1"])

            registry.unregister([Self.gadgets.groupVersionResource])
            #expect(registry.store(for: Self.gadgets.groupVersionResource) == nil)
            #expect(!registry.resources.contains(Self.gadgets))
            // The stopped cache finishes its watchers.
            for await _ in subscription.events {}
        }
    }

    @Test func aDeletedCRDIsHeldByTheCleanupFinalizer() async throws {
        try await withRegistry { registry in
            let crds = try registry.store("customresourcedefinitions", group: "apiextensions.k8s.io")
            let crd: JSONValue = [
                "metadata": ["name": "gadgets.example.com"],
                "spec": ["group": "example.com", "scope": "Namespaced", "names": ["plural": "gadgets", "kind": "Gadget"],
                         "versions": [["name": "v1", "served": true, "storage": true, "schema": ["openAPIV3Schema": ["type": "object"]]]]],
            ]
            let created = try await crds.create(namespace: nil, object: crd)
            #expect(created[path: "status", "storedVersions"] == ["v1"])
            guard case .pending(let held) = try await crds.delete(namespace: nil, name: "gadgets.example.com") else {
                Issue.record("the CRD was deleted at once")
                return
            }
            #expect(held.finalizers == ["customresourcecleanup.apiextensions.k8s.io"])
            #expect(held[path: "status", "conditions"]?.arrayValue?.first?["reason"] == "InstanceDeletionPending")
            _ = try await crds.guaranteedUpdate(namespace: nil, name: "gadgets.example.com", precondition: nil, options: WriteOptions()) { current in
                var updated = current
                updated.finalizers = []
                return updated
            }
            let gone = await apiError { _ = try await crds.get(namespace: nil, name: "gadgets.example.com") }
            #expect(gone?.code == 404)
        }
    }
}
