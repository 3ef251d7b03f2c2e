import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient
import SkiffTesting
import Synchronization
import Testing

/// A controller's graceful shutdown drains its queue.
struct ControllerDrainTests {
    /// Holds the first key until released, and records every key reconciled.
    final class HoldingReconciler: Reconciler {
        private let reconciled = Mutex<[String]>([])
        let started = WakeSignal()
        let release = WakeSignal()
        var keys: [String] { reconciled.withLock { $0 } }

        func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
            if key == "default/first" {
                started.fire()
                await release.wait()
            }
            reconciled.withLock { $0.append(key) }
            return .done
        }
    }

    @Test func gracefulShutdownReconcilesWhatIsQueued() async throws {
        try await InProcessCluster.withCluster { cluster in
            _ = try await cluster.client.resource(TestConfigMap.self, namespace: "default")
                .create(TestConfigMap(namespace: "default", name: "first", data: [:]))
            let factory = SharedInformerFactory(client: cluster.client, namespace: "default", logger: InProcessCluster.quietLogger)
            let reconciler = HoldingReconciler()
            let controller = Controller(
                configuration: .init(name: "drain", workers: 1), informer: factory.informer(for: TestConfigMap.self),
                key: { $0.cacheKey }, reconciler: reconciler, logger: InProcessCluster.quietLogger)
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: factory, serviceName: "informers"), .init(service: controller, serviceName: "controller")],
                    logger: InProcessCluster.quietLogger))
            async let running: Void = group.run()
            await reconciler.started.wait()
            // The only worker is busy: these wait in the queue.
            controller.queue.add("default/second")
            controller.queue.add("default/third")
            await group.triggerGracefulShutdown()
            reconciler.release.fire()
            try await running
            #expect(reconciler.keys == ["default/first", "default/second", "default/third"])
        }
    }
}
