import Logging
import SkiffAPI
import SkiffStorage
import Synchronization

/// The in-memory cache of one resource, fed by a single storage watch: it serves lists at
/// `resourceVersion=0`/`NotOlderThan` and every watch, so many readers cost the storage nothing.
///
/// It keeps the current objects and a bounded window of recent events. A watch from a revision
/// inside the window replays from it; older revisions get `410 Expired`, as upstream.
public final class WatchCache: Sendable {
    /// Tuning of the cache.
    public struct Configuration: Sendable {
        /// How many recent events are kept for watches that start in the past.
        public var historyCapacity = 10_000
        /// How many events a watcher may fall behind before it is closed (the client re-watches).
        public var watcherBufferCapacity = 1_000
        /// How long a read for a future revision waits before `504 Timeout` ("Too large resource version").
        public var freshnessTimeout: Duration = .seconds(3)

        public init() {}
    }

    let info: ResourceInfo
    let strategy: any ResourceStrategy
    let codec: StorageCodec
    let storage: any Storage
    let configuration: Configuration
    private let logger: Logger
    let state = Mutex(State())

    struct State {
        var objects: [String: CachedObject] = [:]
        /// Every event with a revision above this is in `history`.
        var historyStart: Int64 = 0
        var history = EventRing()
        /// The revision the cache is up to date with.
        var revision: Int64 = 0
        var ready = false
        var watchers: [Int: Watcher] = [:]
        var nextWatcherID = 0
        var revisionWaiters: [RevisionWaiter] = []
        var nextWaiterID = 0
        /// Set when `run` has ended: nobody will resume new waiters.
        var stopped = false
    }

    struct Watcher {
        var filter: WatchFilter
        var bookmarks: Bool
        var continuation: AsyncStream<WatchCacheEvent>.Continuation
    }

    struct RevisionWaiter {
        var id: Int
        var revision: Int64
        var continuation: CheckedContinuation<Bool, Never>
    }

    /// A cache of `info`'s objects in `storage`, read through `transformer` when stored encrypted.
    public init(info: ResourceInfo, strategy: any ResourceStrategy, storage: any Storage, transformer: (any ValueTransformer)? = nil,
                configuration: Configuration = .init(), logger: Logger) {
        self.info = info
        self.strategy = strategy
        self.codec = StorageCodec(strategy: strategy, transformer: transformer)
        self.storage = storage
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "resource"] = "\(info.groupResource)"
        self.logger = logger
    }

    /// Keeps the cache in sync with storage until cancelled: list, then watch from the list's
    /// revision; on a broken watch, relist (closing every watcher, which re-watches).
    public func run() async {
        var backoff = Duration.milliseconds(100)
        while !Task.isCancelled {
            do {
                let revision = try await relist()
                backoff = .milliseconds(100)
                for try await batch in storage.watch(prefix: info.keyPrefix, startRevision: revision + 1) {
                    await apply(batch)
                }
                if Task.isCancelled { break }
                logger.warning("storage watch ended; relisting")
            } catch is CancellationError {
                break
            } catch {
                if Task.isCancelled { break }
                logger.warning("storage watch failed; relisting", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
        // Finished outside the lock: finishing a watcher's stream runs its termination handler,
        // which takes the lock to remove the watcher.
        let (watchers, waiters) = state.withLock { state in
            defer {
                state.watchers.removeAll()
                state.revisionWaiters.removeAll()
                state.stopped = true
            }
            return (Array(state.watchers.values), state.revisionWaiters)
        }
        for watcher in watchers { watcher.continuation.finish() }
        for waiter in waiters { waiter.continuation.resume(returning: false) }
    }

    /// Loads every object at one revision and resets the history window.
    private func relist() async throws -> Int64 {
        var objects: [String: CachedObject] = [:]
        var request = RangeRequest(prefix: info.keyPrefix, limit: 10_000)
        var revision: Int64 = 0
        while true {
            let page = try await storage.range(request)
            revision = page.revision
            for kv in page.kvs {
                let object = try await codec.decode(kv)
                objects[kv.key] = CachedObject(key: kv.key, object: object, revision: kv.modRevision, strategy: strategy)
            }
            guard page.more, let last = page.kvs.last else { break }
            request = RangeRequest(start: last.key + "\u{0}", end: request.end, revision: revision, limit: request.limit)
        }
        let listed = objects
        let listRevision = revision
        let reset = state.withLock { state in
            let reset = Array(state.watchers.values)
            state.watchers.removeAll()
            state.objects = listed
            state.history = EventRing()
            state.historyStart = listRevision
            state.revision = max(state.revision, listRevision)
            state.ready = true
            resumeWaiters(&state)
            return reset
        }
        // Finished outside the lock, which their termination handlers take.
        for watcher in reset { watcher.continuation.finish() }
        return revision
    }

    /// Applies one storage batch: updates objects, records history, fans out to watchers.
    private func apply(_ batch: WatchBatch) async {
        var events: [WatchCacheEvent] = []
        events.reserveCapacity(batch.events.count)
        for change in batch.events {
            let decoded: JSONValue
            do {
                decoded = try await codec.decode(change.kv)
            } catch {
                logger.error("undecodable object in storage", metadata: ["key": "\(change.kv.key)", "error": "\(error)"])
                continue
            }
            let object = CachedObject(key: change.kv.key, object: decoded, revision: change.kv.modRevision, strategy: strategy)
            switch change.kind {
            case .put:
                let kind: WatchCacheEvent.Kind = change.previous == nil ? .added : .modified
                events.append(WatchCacheEvent(kind: kind, object: object, previous: nil, revision: change.revision))
            case .delete:
                events.append(WatchCacheEvent(kind: .deleted, object: object, previous: nil, revision: change.revision))
            }
        }
        let closed = state.withLock { state in
            var closed: [Watcher] = []
            for var event in events {
                guard let object = event.object else { continue }
                event.previous = state.objects[object.key]
                if event.kind == .modified, event.previous == nil { event.kind = .added }
                if event.kind == .deleted { state.objects[object.key] = nil } else { state.objects[object.key] = object }
                if state.history.count >= configuration.historyCapacity, let evicted = state.history.removeFirst() {
                    state.historyStart = evicted.revision
                }
                state.history.append(event)
                closed += dispatch(event, in: &state)
            }
            state.revision = max(state.revision, batch.revision)
            resumeWaiters(&state)
            return closed
        }
        for watcher in closed { watcher.continuation.finish() }
    }

    /// Sends `event` to its watchers; returns those that fell behind, removed, for the caller to
    /// finish once it has released the lock.
    private func dispatch(_ event: WatchCacheEvent, in state: inout State) -> [Watcher] {
        var overflowed: [Int] = []
        for (id, watcher) in state.watchers {
            guard let projected = watcher.filter.project(event) else { continue }
            if case .dropped = watcher.continuation.yield(projected) { overflowed.append(id) }
        }
        return overflowed.compactMap { id in
            logger.info("closing a watcher that fell behind", metadata: ["watcher": "\(id)"])
            return state.watchers.removeValue(forKey: id)
        }
    }

    private func resumeWaiters(_ state: inout State) {
        guard !state.revisionWaiters.isEmpty else { return }
        let revision = state.revision
        var waiting: [RevisionWaiter] = []
        for waiter in state.revisionWaiters {
            if waiter.revision <= revision && state.ready {
                waiter.continuation.resume(returning: true)
            } else {
                waiting.append(waiter)
            }
        }
        state.revisionWaiters = waiting
    }

    /// Sends a BOOKMARK with the current revision to every watcher that allows bookmarks.
    public func sendBookmarks() {
        state.withLock { state in
            let event = WatchCacheEvent(kind: .bookmark, object: nil, previous: nil, revision: state.revision)
            for watcher in state.watchers.values where watcher.bookmarks {
                _ = watcher.continuation.yield(event)
            }
        }
    }
}
