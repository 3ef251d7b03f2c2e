import ServiceLifecycle
import SkiffAPI
import SkiffClient

/// Programs the kernel's rules from rendered rulesets (an nftables table, the iptables chains),
/// remembering what it programmed; `TableSync` drives it.
protocol TableProgrammer<Ruleset>: Actor {
    associatedtype Ruleset: Sendable

    /// Programs `desired`; false if the write failed (the next sync then starts afresh).
    func sync(_ desired: Ruleset) async -> Bool

    /// Removes every rule it programmed (on stop).
    func removeTable() async
}

/// The loop that keeps the node's rules in step with informer caches, shared by the service
/// proxy (nftables or iptables) and the network policy agent: it runs the informers, and once
/// their caches have synced renders the whole ruleset and writes it in one transaction whenever
/// the queue holds a request, at most once per `minSyncPeriod` and at least once per
/// `syncPeriod`. Graceful shutdown and cancellation both stop it; the rules are removed at the end.
struct TableSync: Sendable {
    /// The only item of the sync queue: the queue's deduplication coalesces changes.
    enum Request: Hashable, Sendable { case sync }

    var minSyncPeriod: Duration
    var syncPeriod: Duration
    var clock: any TimestampClock

    /// Runs `factory`'s informers and has `syncer` program what `render` makes of their caches
    /// whenever `queue` (which the informers' handlers fill) holds a request.
    func run<Programmer: TableProgrammer>(
        factory: SharedInformerFactory, queue: WorkQueue<Request>, syncer: Programmer, render: @escaping @Sendable () -> Programmer.Ruleset
    ) async {
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
    private func syncLoop<Programmer: TableProgrammer>(
        _ queue: WorkQueue<Request>, syncer: Programmer, render: @Sendable () -> Programmer.Ruleset
    ) async {
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
