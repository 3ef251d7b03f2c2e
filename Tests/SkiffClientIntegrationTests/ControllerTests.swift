import Logging
import SkiffAPI
import SkiffClient
import Synchronization
import SkiffTesting
import Testing

/// A controller over a shared informer against a real server, and the event recorder.
struct ControllerTests {
    /// Fails `flaky` once, asks to see `later` again once, and counts every reconcile.
    final class CountingReconciler: Reconciler {
        private let counts = Mutex<[String: Int]>([:])
        func count(_ key: String) -> Int { counts.withLock { $0[key] ?? 0 } }

        struct Flaked: Error {}

        func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
            let count = counts.withLock { counts -> Int in
                counts[key, default: 0] += 1
                return counts[key]!
            }
            switch (key, count) {
            case ("default/flaky", 1): throw Flaked()
            case ("default/later", 1): return .requeueAfter(.milliseconds(50))
            default: return .done
            }
        }
    }

    @Test func reconcilesRetriesAndRequeues() async throws {
        try await InProcessCluster.withCluster { cluster in
            let client = cluster.client
            let configMaps = client.resource(TestConfigMap.self, namespace: "default")
            for name in ["steady", "flaky", "later"] {
                _ = try await configMaps.create(TestConfigMap(namespace: "default", name: name, data: [:]))
            }
            let factory = SharedInformerFactory(client: client, namespace: "default", logger: InProcessCluster.quietLogger)
            let reconciler = CountingReconciler()
            let controller = Controller(
                configuration: .init(name: "test", workers: 2), informer: factory.informer(for: TestConfigMap.self),
                key: { $0.cacheKey }, reconciler: reconciler,
                rateLimiter: ExponentialFailureRateLimiter<String>(base: .milliseconds(1), maximum: .seconds(1)),
                logger: InProcessCluster.quietLogger)
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { await factory.run() }
                group.addTask { await controller.run() }
                try await waitUntil("every key reconciled") {
                    reconciler.count("default/steady") == 1 && reconciler.count("default/flaky") == 2
                        && reconciler.count("default/later") == 2
                }
                #expect(controller.queue.retries("default/flaky") == 0)
                let lister = factory.informer(for: TestConfigMap.self).lister
                #expect(lister.namespace("default").list().map(\.name).sorted() == ["flaky", "later", "steady"])
                #expect(lister.namespace("default").get("steady")?.name == "steady")
                #expect(lister.namespace("other").list().isEmpty)
                _ = try await configMaps.patch("steady", type: .merge, patch: ["data": ["x": "y"]])
                try await waitUntil("the change reconciled") { reconciler.count("default/steady") == 2 }
                group.cancelAll()
            }
        }
    }

    @Test func recorderAggregatesRepeatedEvents() async throws {
        try await InProcessCluster.withCluster { cluster in
            let client = cluster.client
            let configMap = try await client.resource(TestConfigMap.self, namespace: "default")
                .create(TestConfigMap(namespace: "default", name: "subject", data: [:]))
            let recorder = EventRecorder(client: client.dynamic, component: "test-controller", logger: InProcessCluster.quietLogger)
            let reference = ObjectReference(configMap)
            await recorder.record(reference, reason: "Synced", message: "all good")
            await recorder.record(reference, reason: "Synced", message: "all good")
            await recorder.record(reference, type: .warning, reason: "Failed", message: "not good")
            // Recording only queues; flushing waits for the writes.
            await recorder.flush()

            let events = try await client.dynamic.resource(GroupVersionResource(group: "", version: "v1", resource: "events"))
                .namespace("default").list(ListOptions(fieldSelector: "involvedObject.name=subject")).items
            let byReason = Dictionary(uniqueKeysWithValues: events.compactMap { event in event["reason"]?.stringValue.map { ($0, event) } })
            #expect(events.count == 2)
            #expect(byReason["Synced"]?["count"] == 2)
            #expect(byReason["Synced"]?[path: "source", "component"] == "test-controller")
            #expect(byReason["Synced"]?[path: "involvedObject", "uid"] == configMap.metadata?.uid.map(JSONValue.string))
            #expect(byReason["Failed"]?["type"] == "Warning")
            #expect(byReason["Failed"]?["count"] == 1)

            // A recorder released at once still writes what it queued.
            await EventRecorder(client: client.dynamic, component: "test-controller", logger: InProcessCluster.quietLogger)
                .record(reference, reason: "Transient", message: "written after the recorder is gone")
            try await waitUntil("the transient recorder's event") {
                try await client.dynamic.resource(GroupVersionResource(group: "", version: "v1", resource: "events"))
                    .namespace("default").list(ListOptions(fieldSelector: "involvedObject.name=subject")).items.contains { $0["reason"] == "Transient" }
            }
        }
    }
}
