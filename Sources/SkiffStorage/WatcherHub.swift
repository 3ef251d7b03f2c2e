import Synchronization

/// The open watches of a store: registers them, delivers each commit's events in order, answers
/// progress requests, and ends watchers that fall behind. Callers hold the store's lock while
/// publishing so that delivery order is commit order.
final class WatcherHub: Sendable {
    private struct Watcher {
        var prefix: String
        var continuation: WatchStream.Continuation
    }

    private let watchers = Mutex<[Int: Watcher]>([:])
    private let nextID = Atomic<Int>(0)
    private let bufferLimit: Int

    init(bufferLimit: Int) {
        self.bufferLimit = bufferLimit
    }

    /// Opens a watch; `initial` (history the caller read) is delivered first.
    func open(prefix: String, initial: [KeyValueEvent]) -> WatchStream {
        let (stream, continuation) = makeStream()
        register(prefix: prefix, continuation: continuation, initial: initial)
        return stream
    }

    /// A stream with this hub's buffer limit, to be registered later.
    func makeStream() -> (WatchStream, WatchStream.Continuation) {
        WatchStream.makeStream(bufferingPolicy: .bufferingOldest(bufferLimit))
    }

    /// Registers a watch; `initial` (history the caller read) is delivered first. The caller
    /// must hold whatever serializes publication, so nothing is published in between.
    func register(prefix: String, continuation: WatchStream.Continuation, initial: [KeyValueEvent]) {
        let id = nextID.add(1, ordering: .relaxed).newValue
        for chunk in Self.chunks(initial) {
            if case .dropped = continuation.yield(WatchBatch(events: chunk, revision: chunk.last!.revision)) {
                continuation.finish(throwing: Self.overflow)
                return
            }
        }
        watchers.withLock { $0[id] = Watcher(prefix: prefix, continuation: continuation) }
        continuation.onTermination = { [weak self] _ in
            self?.watchers.withLock { _ = $0.removeValue(forKey: id) }
        }
    }

    /// Delivers one commit's events to every watcher whose prefix they fall under.
    func publish(_ events: [KeyValueEvent]) {
        guard !events.isEmpty else { return }
        let overflowed = watchers.withLock { watchers -> [Watcher] in
            var overflowed: [Int] = []
            for (id, watcher) in watchers {
                let selected = events.filter { $0.kv.key.hasPrefix(watcher.prefix) }
                guard let last = selected.last else { continue }
                if case .dropped = watcher.continuation.yield(WatchBatch(events: selected, revision: last.revision)) {
                    overflowed.append(id)
                }
            }
            return overflowed.compactMap { watchers.removeValue(forKey: $0) }
        }
        // Finished outside the lock: finishing runs the stream's termination handler, which takes
        // it (a second lock from the same thread traps).
        for watcher in overflowed { watcher.continuation.finish(throwing: Self.overflow) }
    }

    /// What a watcher that fell too far behind ends with.
    private static var overflow: StorageError { StorageError(.watchOverflow, message: "the watcher fell too far behind") }

    /// Sends every watcher an empty batch carrying `revision`.
    func progress(revision: Int64) {
        watchers.withLock { watchers in
            for watcher in watchers.values {
                _ = watcher.continuation.yield(WatchBatch(events: [], revision: revision))
            }
        }
    }

    /// Ends every watch.
    func closeAll() {
        let all = watchers.withLock { watchers -> [Watcher] in
            defer { watchers.removeAll() }
            return Array(watchers.values)
        }
        for watcher in all { watcher.continuation.finish() }
    }

    /// Splits replayed history into batches of consecutive events with the same revision.
    private static func chunks(_ events: [KeyValueEvent]) -> [[KeyValueEvent]] {
        var result: [[KeyValueEvent]] = []
        for event in events {
            if let last = result.last?.last, last.revision == event.revision {
                result[result.count - 1].append(event)
            } else {
                result.append([event])
            }
        }
        return result
    }
}
