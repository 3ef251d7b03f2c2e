import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient

/// The loop that keeps one nftables table in step with informer caches, shared by the service
/// proxy and the network policy agent: it runs the informers, and once their caches have
/// synced renders the whole table and writes it in one transaction whenever the queue holds a
/// request, at most once per `minSyncPeriod` and at least once per `syncPeriod`. Graceful
/// shutdown and cancellation both stop it; the table is deleted at the end.
struct TableSync: Sendable {
    /// The only item of the sync queue: the queue's deduplication coalesces changes.
    enum Request: Hashable, Sendable { case sync }

    var table: String
    var comment: String
    var minSyncPeriod: Duration
    var syncPeriod: Duration
    var writer: any RulesetWriter
    var clock: any TimestampClock
    var logger: Logger

    /// Runs `factory`'s informers and programs what `render` makes of their caches whenever
    /// `queue` (which the informers' handlers fill) holds a request.
    func run(factory: SharedInformerFactory, queue: WorkQueue<Request>, render: @escaping @Sendable () -> NFTRuleset) async {
        let syncer = Syncer(table: table, comment: comment, writer: writer, logger: logger)
        await cancelWhenGracefulShutdown {
            // The informers and the timer end with cancellation; the sync loop with the queue.
            await withTaskCancellationHandler {
                await withDiscardingTaskGroup { group in
                    group.addTask { await factory.run() }
                    group.addTask { await periodicResync(queue) }
                    group.addTask {
                        guard await factory.waitForCacheSync() else { return }
                        await syncLoop(queue, syncer: syncer, render: render)
                    }
                }
            } onCancel: {
                queue.shutDown()
            }
        }
        await syncer.removeTable()
    }

    /// Takes sync requests until the queue shuts down, at most one per `minSyncPeriod`.
    private func syncLoop(_ queue: WorkQueue<Request>, syncer: Syncer, render: @Sendable () -> NFTRuleset) async {
        var lastSync: Timestamp?
        while let request = await queue.get() {
            if let lastSync {
                try? await clock.sleep(until: lastSync.advanced(by: minSyncPeriod), tolerance: nil)
            }
            // Done before reading the caches: a change from now on asks for another sync.
            queue.done(request)
            guard !Task.isCancelled else { return }
            lastSync = clock.now
            if await !syncer.sync(render()) {
                queue.add(.sync)
            }
        }
    }

    /// Asks for a sync every `syncPeriod`.
    private func periodicResync(_ queue: WorkQueue<Request>) async {
        while (try? await clock.sleep(until: clock.now.advanced(by: syncPeriod), tolerance: nil)) != nil {
            queue.add(.sync)
        }
    }
}
