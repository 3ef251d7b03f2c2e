import Foundation
import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient
import SkiffModels

/// The node's service proxy (upstream's kube-proxy in nftables mode): typed informers on
/// Services and EndpointSlices queue a sync on every change; a sync renders the whole table
/// from the caches and writes it in one `nft` transaction. Changes closer together than
/// `minSyncPeriod` are written together; without changes the table is written again every
/// `syncPeriod`. Stopping deletes the table.
///
/// A `Service`: graceful shutdown and cancellation both stop syncing and remove the rules.
public struct KubeProxy: Service {
    /// The only item of the sync queue: the queue's deduplication coalesces changes.
    enum SyncRequest: Hashable, Sendable { case sync }

    let configuration: ProxyConfiguration
    let client: KubernetesClient
    let writer: any RulesetWriter
    let clock: any TimestampClock
    let logger: Logger

    /// A proxy for the node `configuration` names, reading through `client`, writing with `writer`.
    public init(
        configuration: ProxyConfiguration, client: KubernetesClient, writer: any RulesetWriter = NFTCommand(),
        clock: any TimestampClock = SystemClock(), logger: Logger
    ) {
        self.configuration = configuration
        self.client = client
        self.writer = writer
        self.clock = clock
        var logger = logger
        logger[metadataKey: "component"] = "kube-proxy"
        self.logger = logger
    }

    public func run() async throws {
        let factory = SharedInformerFactory(client: client, logger: logger)
        let services = factory.informer(for: CoreV1.Service.self)
        let slices = factory.informer(for: DiscoveryV1.EndpointSlice.self)
        let queue = WorkQueue<SyncRequest>(name: "kube-proxy")
        _ = services.addHandler { _ in queue.add(.sync) }
        _ = slices.addHandler { _ in queue.add(.sync) }
        let syncer = Syncer(configuration: configuration, writer: writer, logger: logger)
        await cancelWhenGracefulShutdown {
            // The informers and the timer end with cancellation; the sync loop with the queue.
            await withTaskCancellationHandler {
                await withDiscardingTaskGroup { group in
                    group.addTask { await factory.run() }
                    group.addTask { await periodicResync(queue) }
                    group.addTask {
                        guard await factory.waitForCacheSync() else { return }
                        await syncLoop(queue, syncer: syncer) { (services.lister.list(), slices.lister.list()) }
                    }
                }
            } onCancel: {
                queue.shutDown()
            }
        }
        await syncer.removeTable()
    }

    /// Takes sync requests until the queue shuts down, at most one per `minSyncPeriod`.
    private func syncLoop(
        _ queue: WorkQueue<SyncRequest>, syncer: Syncer, snapshot: @Sendable () -> ([CoreV1.Service], [DiscoveryV1.EndpointSlice])
    ) async {
        var lastSync: Timestamp?
        while let request = await queue.get() {
            if let lastSync {
                try? await clock.sleep(until: lastSync.advanced(by: configuration.minSyncPeriod), tolerance: nil)
            }
            // Done before reading the caches: a change from now on asks for another sync.
            queue.done(request)
            guard !Task.isCancelled else { return }
            lastSync = clock.now
            let (services, slices) = snapshot()
            if await !syncer.sync(ServicePortTable.make(services: services, slices: slices, nodeName: configuration.nodeName)) {
                queue.add(.sync)
            }
        }
    }

    /// Asks for a sync every `syncPeriod`.
    private func periodicResync(_ queue: WorkQueue<SyncRequest>) async {
        while (try? await clock.sleep(until: clock.now.advanced(by: configuration.syncPeriod), tolerance: nil)) != nil {
            queue.add(.sync)
        }
    }
}
