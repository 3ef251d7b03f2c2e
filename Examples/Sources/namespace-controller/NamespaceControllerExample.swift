import ArgumentParser
import ExampleSupport
import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// The quick start's controller walkthrough: a small namespace controller, written the way the
/// real one (SkiffControllers' `NamespaceController`, upstream's namespace controller) works.
///
/// - An informer watches namespaces and keeps them in an indexer; handlers queue the keys of
///   namespaces that are terminating.
/// - A worker takes a key from the rate-limited queue and reads the namespace from the lister.
/// - A terminating namespace that still has the `kubernetes` finalizer gets its content deleted:
///   every namespaced resource that supports `deletecollection`, found through discovery.
/// - Once nothing is left, the finalizer is removed through the `finalize` subresource, and the
///   server deletes the namespace. While content remains, the key is retried with back-off.
///
/// Run it against a cluster whose own namespace controller is off
/// (`skiff up --controllers '*,-namespace-controller'`), then `kubectl delete namespace NAME`.
@main
struct NamespaceControllerExample: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "namespace-controller", abstract: "Empty terminating namespaces and remove their finalizer.")

    @OptionGroup var client: ClientOptions

    @Option(help: "Workers processing namespaces at once.")
    var workers = 2

    func run() async throws {
        let configuration = try client.configuration()
        let workers = self.workers
        try await untilSignalled {
            try await withClient(configuration) { client in
                let logger = Logger(label: "namespace-controller")
                let factory = SharedInformerFactory(client: client, logger: logger)
                let informer = factory.informer(for: CoreV1.Namespace.self)
                let queue = DelayingWorkQueue<String>(name: "namespace")
                _ = informer.addHandler { event in
                    switch event {
                    case .added(let namespace, _), .updated(_, let namespace):
                        if namespace.metadata?.deletionTimestamp != nil { queue.add(namespace.cacheKey) }
                    case .deleted:
                        break
                    }
                }
                let reconciler = NamespaceReconciler(client: client, lister: TypedLister(indexer: informer.indexer))
                await withDiscardingTaskGroup { group in
                    group.addTask { await factory.run() }
                    group.addTask { await queue.run() }
                    guard await factory.waitForCacheSync() else { return }
                    say("Starting namespace controller")
                    await withTaskCancellationHandler {
                        await withDiscardingTaskGroup { workerGroup in
                            for _ in 0..<max(workers, 1) {
                                workerGroup.addTask { await Self.work(queue: queue, reconciler: reconciler) }
                            }
                        }
                    } onCancel: {
                        queue.shutDown()
                    }
                    group.cancelAll()
                }
            }
        }
    }

    /// One worker: a key at a time, forgotten when done, retried with back-off while not.
    static func work(queue: DelayingWorkQueue<String>, reconciler: NamespaceReconciler) async {
        while let key = await queue.get() {
            do {
                if try await reconciler.reconcile(key) {
                    queue.forget(key)
                } else {
                    queue.addRateLimited(key)
                }
            } catch {
                say("Error syncing namespace \(key): \(error)")
                queue.addRateLimited(key)
            }
            queue.done(key)
        }
    }
}
