import ArgumentParser
import ExampleSupport
import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// client-go's workqueue example: an informer keeps an indexer of the namespace's pods and puts
/// the key of every changed pod into a rate-limited queue; one worker takes keys from the queue,
/// reads the pod from the indexer (never from the server) and prints it. A failed sync is retried
/// with back-off up to five times, then dropped.
@main
struct WorkqueueExample: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "workqueue", abstract: "Print the pods of a namespace as they change.")

    @OptionGroup var client: ClientOptions

    @Option(help: "The namespace whose pods to watch.")
    var namespace = "default"

    func run() async throws {
        let configuration = try client.configuration()
        let namespace = self.namespace
        try await untilSignalled {
            try await withClient(configuration) { client in
                let logger = Logger(label: "workqueue")
                let factory = SharedInformerFactory(client: client, namespace: namespace, logger: logger)
                let informer = factory.informer(for: CoreV1.Pod.self)
                let queue = DelayingWorkQueue<String>(name: "pods")
                // Handlers only queue keys; the work happens in the worker.
                _ = informer.addHandler { event in
                    switch event {
                    case .added(let pod, _), .updated(_, let pod): queue.add(pod.cacheKey)
                    case .deleted(let deleted): queue.add(deleted.object.cacheKey)
                    }
                }
                let controller = PodPrinter(indexer: informer.indexer, queue: queue)
                await withDiscardingTaskGroup { group in
                    group.addTask { await factory.run() }
                    group.addTask { await queue.run() }
                    guard await factory.waitForCacheSync() else { return }
                    say("Starting Pod controller")
                    await withTaskCancellationHandler {
                        await controller.runWorker()
                    } onCancel: {
                        queue.shutDown()
                    }
                    say("Stopping Pod controller")
                    group.cancelAll()
                }
            }
        }
    }
}

/// The worker of the example's controller.
struct PodPrinter: Sendable {
    let indexer: Indexer<CoreV1.Pod>
    let queue: DelayingWorkQueue<String>
    static let maxRetries = 5

    /// Processes keys until the queue shuts down.
    func runWorker() async {
        while let key = await queue.get() {
            do {
                try sync(key)
                queue.forget(key)
            } catch {
                handleError(error, key: key)
            }
            queue.done(key)
        }
    }

    /// The business logic: print what the cache holds for `key`.
    func sync(_ key: String) throws {
        if let pod = indexer.get(key: key) {
            say("Sync/Add/Update for Pod \(pod.metadata?.name ?? "")")
        } else {
            say("Pod \(key) does not exist anymore")
        }
    }

    private func handleError(_ error: any Error, key: String) {
        if queue.retries(key) < Self.maxRetries {
            say("Error syncing pod \(key): \(error)")
            queue.addRateLimited(key)
        } else {
            queue.forget(key)
            say("Dropping pod \"\(key)\" out of the queue: \(error)")
        }
    }
}
