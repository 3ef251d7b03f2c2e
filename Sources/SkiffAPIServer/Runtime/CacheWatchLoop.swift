import SkiffAPI
import SkiffRegistry

/// The loop the aggregation controllers share: once the registry is ready, `syncAll` runs while
/// a watch of `store`'s cache is open (watching first, so nothing changed in between is missed),
/// then `handle` runs for each of its events; a stream that ends (a slow watcher, a cache reset)
/// is opened again. With an `interval`, `syncAll` also runs that often.
struct CacheWatchLoop: Sendable {
    let registry: Registry
    let store: ResourceStore
    let clock: any TimestampClock
    var interval: Duration?

    /// Runs until cancelled.
    func run(syncAll: @escaping @Sendable () async -> Void, handle: @escaping @Sendable (WatchCacheEvent) async -> Void) async {
        await withDiscardingTaskGroup { group in
            if let interval {
                group.addTask {
                    while !Task.isCancelled {
                        do { try await clock.sleep(for: interval) } catch { return }
                        await syncAll()
                    }
                }
            }
            group.addTask {
                guard (try? await registry.waitUntilReady()) != nil else { return }
                while !Task.isCancelled {
                    guard let subscription = try? await store.cache.watch(filter: WatchFilter(), fromRevision: nil, bookmarks: false) else { return }
                    await syncAll()
                    for await event in subscription.events { await handle(event) }
                }
            }
        }
    }
}
