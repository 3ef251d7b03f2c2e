import SkiffAPI
import SkiffStorage

extension WatchCache {
    /// A snapshot of the selected objects, sorted by key, and the revision it reflects.
    public struct Snapshot: Sendable {
        public var objects: [CachedObject]
        public var revision: Int64
    }

    /// Waits until the cache has seen every write up to `revision` (asking storage for progress
    /// notifications meanwhile); `504 Timeout` ("Too large resource version") after the timeout.
    public func waitUntilFresh(_ revision: Int64) async throws(APIError) {
        if isFresh(revision) { return }
        let fresh = await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.waitForRevision(revision) }
            group.addTask { [storage = self.storageForProgress] in
                // Progress notifications let the cache learn revisions written under other prefixes.
                var delay = Duration.milliseconds(1)
                while !Task.isCancelled {
                    await storage.requestWatchProgress()
                    try? await Task.sleep(for: delay)
                    delay = min(delay * 2, .milliseconds(100))
                }
                return false
            }
            group.addTask { [timeout = self.freshnessTimeout] in
                try? await Task.sleep(for: timeout)
                return false
            }
            var result = false
            for await value in group {
                result = value
                break
            }
            group.cancelAll()
            return result
        }
        if !fresh {
            throw APIError(
                code: 504, reason: .timeout,
                message: "Too large resource version: \(revision), current: \(currentRevision)",
                details: .init(causes: [.init(type: .resourceVersionTooLarge, message: "Too large resource version", field: "")], retryAfterSeconds: 1))
        }
    }

    /// The revision the cache is up to date with.
    public var currentRevision: Int64 { stateRevision() }

    /// The selected objects, sorted by key.
    public func snapshot(filter: WatchFilter) -> Snapshot {
        let (objects, revision) = readState { state in
            (Array(state.objects.values), state.revision)
        }
        var selected = objects.filter(filter.matches)
        selected.sort { $0.key < $1.key }
        return Snapshot(objects: selected, revision: revision)
    }

    /// One object by key.
    public func object(forKey key: String) -> CachedObject? {
        readState { $0.objects[key] }
    }

    /// Opens a watch. `fromRevision` nil: the current objects as ADDED events, then changes
    /// (upstream's rv unset / `0`). A revision: the changes after it, or `410 Expired` when it is
    /// older than the history kept.
    public func watch(filter: WatchFilter, fromRevision: Int64?, bookmarks: Bool) async throws(APIError) -> WatchSubscription {
        if let fromRevision { try await waitUntilFresh(fromRevision) }
        let (stream, continuation) = AsyncStream.makeStream(
            of: WatchCacheEvent.self, bufferingPolicy: .bufferingOldest(watcherBufferCapacity))
        let registration: Result<(Int, [WatchCacheEvent], Int64), APIError> = registerWatcher { state, id in
            let initial: [WatchCacheEvent]
            if let fromRevision {
                guard fromRevision >= state.historyStart else {
                    return .failure(.expired("too old resource version: \(fromRevision) (\(state.historyStart))"))
                }
                initial = state.history.events(after: fromRevision).compactMap(filter.project)
            } else {
                initial = state.objects.values.filter(filter.matches).sorted { $0.revision < $1.revision }.map {
                    WatchCacheEvent(kind: .added, object: $0, previous: nil, revision: $0.revision)
                }
            }
            state.watchers[id] = Watcher(filter: filter, bookmarks: bookmarks, continuation: continuation)
            return .success((id, initial, state.revision))
        }
        switch registration {
        case .failure(let error):
            continuation.finish()
            throw error
        case .success(let (id, initial, revision)):
            continuation.onTermination = { [weak self] _ in self?.removeWatcher(id) }
            return WatchSubscription(initialEvents: initial, revision: revision, events: stream)
        }
    }
}

/// An open watch on the cache: events to send first, then the live stream. The stream ends when
/// the watcher falls too far behind or the cache resets; the client then re-watches.
public struct WatchSubscription: Sendable {
    public var initialEvents: [WatchCacheEvent]
    /// The cache revision when the watch opened (after `initialEvents`).
    public var revision: Int64
    public var events: AsyncStream<WatchCacheEvent>
}
