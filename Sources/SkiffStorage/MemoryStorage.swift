import Synchronization

/// The `memory://` backend: everything in memory, full history until compacted. For tests and
/// throwaway clusters; nothing survives the process.
public final class MemoryStorage: Storage {
    private struct State {
        var revision: Int64 = 0
        var compacted: Int64 = 0
        var index = KeyIndex<KeyValue>()
        /// Every write in revision order: the key's value after it (nil for a delete) and before it.
        var history: [HistoryEntry] = []
        var closed = false
    }

    private let state = Mutex(State())
    private let hub: WatcherHub

    /// `watchBufferLimit`: how many batches a watcher may fall behind before it is dropped.
    public init(watchBufferLimit: Int = 10_000) {
        hub = WatcherHub(bufferLimit: watchBufferLimit)
    }

    public func currentRevision() async throws -> Int64 { try read { $0.revision } }

    public func compactedRevision() async throws -> Int64 { try read { $0.compacted } }

    public func get(_ key: String, revision: Int64) async throws -> KeyValue? {
        try read { state in
            if revision == 0 { return state.index[key] }
            try Self.checkReadable(revision, state)
            return HistoryEntry.value(of: key, at: revision, in: state.history)
        }
    }

    public func range(_ request: RangeRequest) async throws -> RangeResult {
        try read { state in
            var index = state.index
            let revision = request.revision == 0 ? state.revision : request.revision
            if revision != state.revision {
                try Self.checkReadable(revision, state)
                index = KeyIndex()
                for entry in state.history where entry.revision <= revision {
                    if let kv = entry.kv { index.put(kv.key, kv) } else { index.remove(entry.key) }
                }
            }
            let page = index.range(start: request.start, end: request.end, limit: request.limit)
            return RangeResult(kvs: page.entries.map { $0.entry }, more: page.more, count: page.count, revision: revision)
        }
    }

    public func create(_ key: String, value: [UInt8]) async throws -> KeyValue {
        try write { state in
            if let current = state.index[key] { throw StorageError(.keyExists, key: key, current: current) }
            return put(key, value: value, previous: nil, in: &state)
        }
    }

    public func update(_ key: String, value: [UInt8], expectedModRevision: Int64) async throws -> KeyValue {
        try write { state in
            guard let current = state.index[key] else { throw StorageError(.keyNotFound, key: key) }
            guard current.modRevision == expectedModRevision else { throw StorageError(.conflict, key: key, current: current) }
            return put(key, value: value, previous: current, in: &state)
        }
    }

    public func delete(_ key: String, expectedModRevision: Int64?) async throws -> DeleteResult {
        try write { state in
            guard let current = state.index[key] else { throw StorageError(.keyNotFound, key: key) }
            if let expected = expectedModRevision, current.modRevision != expected {
                throw StorageError(.conflict, key: key, current: current)
            }
            state.revision += 1
            state.index.remove(key)
            state.history.append(HistoryEntry(revision: state.revision, key: key, kv: nil, previous: current))
            hub.publish([state.history.last!.event])
            return DeleteResult(previous: current, revision: state.revision)
        }
    }

    public func watch(prefix: String, startRevision: Int64) -> WatchStream {
        do {
            return try read { state in
                if startRevision != 0, startRevision <= state.compacted {
                    throw StorageError(.compacted, message: "required revision \(startRevision) has been compacted (compacted revision \(state.compacted))")
                }
                let history = startRevision == 0 ? [] :
                    state.history.filter { $0.revision >= startRevision && $0.key.hasPrefix(prefix) }.map(\.event)
                return hub.open(prefix: prefix, initial: history)
            }
        } catch {
            return WatchStream { $0.finish(throwing: error) }
        }
    }

    public func requestWatchProgress() async {
        state.withLock { state in hub.progress(revision: state.revision) }
    }

    public func compact(revision: Int64) async throws {
        try write { state in
            guard revision > state.compacted else { return }
            guard revision <= state.revision else { throw StorageError(.futureRevision, message: "compaction revision \(revision) is in the future") }
            state.history = HistoryEntry.compact(state.history, to: revision)
            state.compacted = revision
        }
    }

    public func close() async throws {
        state.withLock { $0.closed = true }
        hub.closeAll()
    }

    private func put(_ key: String, value: [UInt8], previous: KeyValue?, in state: inout State) -> KeyValue {
        state.revision += 1
        let kv = KeyValue(key: key, value: value, createRevision: previous?.createRevision ?? state.revision, modRevision: state.revision)
        state.index.put(key, kv)
        state.history.append(HistoryEntry(revision: state.revision, key: key, kv: kv, previous: previous))
        hub.publish([state.history.last!.event])
        return kv
    }

    private static func checkReadable(_ revision: Int64, _ state: State) throws {
        if revision > state.revision {
            throw StorageError(.futureRevision, message: "required revision \(revision) is a future revision")
        }
        if revision <= state.compacted {
            throw StorageError(.compacted, message: "required revision \(revision) has been compacted")
        }
    }

    private func read<T>(_ body: (State) throws -> T) throws -> T {
        try state.withLock { state in
            if state.closed { throw StorageError(.unavailable, message: "the store is closed") }
            return try body(state)
        }
    }

    private func write<T>(_ body: (inout State) throws -> T) throws -> T {
        try state.withLock { state in
            if state.closed { throw StorageError(.unavailable, message: "the store is closed") }
            return try body(&state)
        }
    }
}
