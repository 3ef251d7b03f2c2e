import Dispatch
import Logging
import Synchronization

/// The `sqlite://PATH` backend, the embedded default.
///
/// Every write is one row of an append-only revision table (see docs/storage.md); the latest
/// value of every key is also kept in memory so current reads never touch the disk. Writes are
/// group-committed: a write checks its precondition against the latest state including writes not
/// yet committed, takes the next revision and waits; one committer writes everything pending in
/// one transaction (WAL, `synchronous=FULL`: durable when it returns), then makes the batch
/// visible to readers and watchers and acknowledges it. Writes arriving during a commit form the
/// next batch, so throughput is not bound to one fsync per write.
public final class SQLiteStorage: Storage {
    private struct State {
        /// The last committed (visible) revision.
        var revision: Int64 = 0
        /// The last assigned revision (committed or pending).
        var assigned: Int64 = 0
        var compacted: Int64 = 0
        var index = KeyIndex()
        /// The newest pending write per key, for precondition checks (nil value: a pending delete).
        var pending: [String: (revision: Int64, kv: KeyValue?)] = [:]
        var batch: [PendingWrite] = []
        var committing = false
        var failure: StorageError?
    }

    private struct PendingWrite {
        var entry: HistoryEntry
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let state = Mutex(State())
    private let hub: WatcherHub
    private let io = DispatchQueue(label: "skiff.sqlite")
    private let database: DatabaseBox
    private let logger: Logger

    /// Opens (creating if needed) the database at `path` and loads the latest state.
    public init(path: String, watchBufferLimit: Int = 10_000, logger: Logger) throws {
        self.logger = logger
        hub = WatcherHub(bufferLimit: watchBufferLimit)
        let db = try SQLiteDatabase(path: path)
        try SQLiteSchema.prepare(db)
        let loaded = try SQLiteSchema.load(db)
        database = DatabaseBox(db)
        state.withLock { state in
            state.revision = loaded.revision
            state.assigned = loaded.revision
            state.compacted = loaded.compacted
            state.index = loaded.index
        }
    }

    public func currentRevision() async throws -> Int64 { try readState { $0.revision } }

    public func compactedRevision() async throws -> Int64 { try readState { $0.compacted } }

    public func get(_ key: String, revision: Int64) async throws -> KeyValue? {
        let current = try readState { state -> KeyValue?? in
            if revision == 0 || revision == state.revision { return .some(state.index[key]) }
            try checkReadable(revision, state)
            return nil
        }
        if let current { return current }
        return try await onQueue { db in try SQLiteSchema.value(of: key, at: revision, db) }
    }

    public func range(_ request: RangeRequest) async throws -> RangeResult {
        let current = try readState { state -> RangeResult? in
            guard request.revision == 0 || request.revision == state.revision else {
                try checkReadable(request.revision, state)
                return nil
            }
            let page = state.index.range(start: request.start, end: request.end, limit: request.limit)
            return RangeResult(kvs: page.kvs, more: page.more, count: page.count, revision: state.revision)
        }
        if let current { return current }
        return try await onQueue { db in try SQLiteSchema.range(request, db) }
    }

    public func create(_ key: String, value: [UInt8]) async throws -> KeyValue {
        try await submit(key) { state, current in
            if let current { throw StorageError(.keyExists, key: key, current: current) }
            return HistoryEntry(revision: state.assigned + 1, key: key,
                                kv: KeyValue(key: key, value: value, createRevision: state.assigned + 1, modRevision: state.assigned + 1),
                                previous: nil)
        }.kv!
    }

    public func update(_ key: String, value: [UInt8], expectedModRevision: Int64) async throws -> KeyValue {
        try await submit(key) { state, current in
            guard let current else { throw StorageError(.keyNotFound, key: key) }
            guard current.modRevision == expectedModRevision else { throw StorageError(.conflict, key: key, current: current) }
            return HistoryEntry(revision: state.assigned + 1, key: key,
                                kv: KeyValue(key: key, value: value, createRevision: current.createRevision, modRevision: state.assigned + 1),
                                previous: current)
        }.kv!
    }

    public func delete(_ key: String, expectedModRevision: Int64?) async throws -> DeleteResult {
        let entry = try await submit(key) { state, current in
            guard let current else { throw StorageError(.keyNotFound, key: key) }
            if let expected = expectedModRevision, current.modRevision != expected {
                throw StorageError(.conflict, key: key, current: current)
            }
            return HistoryEntry(revision: state.assigned + 1, key: key, kv: nil, previous: current)
        }
        return DeleteResult(previous: entry.previous!, revision: entry.revision)
    }

    /// Queues a write built from the latest state (including pending writes) and waits until it
    /// is committed.
    private func submit(_ key: String, _ build: (State, KeyValue?) throws -> HistoryEntry) async throws -> HistoryEntry {
        var entry: HistoryEntry?
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome: Result<Bool, any Error> = state.withLock { state in
                if let failure = state.failure { return .failure(failure) }
                let current = state.pending[key].map(\.kv) ?? state.index[key]
                do {
                    let built = try build(state, current)
                    state.assigned = built.revision
                    state.pending[key] = (built.revision, built.kv)
                    state.batch.append(PendingWrite(entry: built, continuation: continuation))
                    entry = built
                    if state.committing { return .success(false) }
                    state.committing = true
                    return .success(true)
                } catch {
                    return .failure(error)
                }
            }
            switch outcome {
            case .failure(let error): continuation.resume(throwing: error)
            case .success(true): io.async { self.commitPending() }
            case .success(false): break
            }
        }
        return entry!
    }

    /// Commits batches until none is pending. Runs on the I/O queue.
    private func commitPending() {
        while true {
            let batch = state.withLock { state -> [PendingWrite]? in
                if state.batch.isEmpty {
                    state.committing = false
                    return nil
                }
                defer { state.batch.removeAll(keepingCapacity: true) }
                return state.batch
            }
            guard let batch else { return }
            do {
                try SQLiteSchema.append(batch.map(\.entry), database.db)
            } catch {
                let failure = StorageError(.unavailable, message: "commit failed, the store is now read-only: \(error)")
                logger.critical("SQLite commit failed", metadata: ["error": "\(error)"])
                state.withLock { state in
                    state.failure = failure
                    state.pending.removeAll()
                }
                for write in batch { write.continuation.resume(throwing: failure) }
                continue
            }
            state.withLock { state in
                for write in batch {
                    let entry = write.entry
                    if let kv = entry.kv { state.index.put(kv) } else { state.index.remove(entry.key) }
                    if state.pending[entry.key]?.revision == entry.revision { state.pending[entry.key] = nil }
                    state.revision = entry.revision
                }
                hub.publish(batch.map(\.entry.event))
            }
            for write in batch { write.continuation.resume() }
        }
    }

    public func watch(prefix: String, startRevision: Int64) -> WatchStream {
        let (stream, continuation) = hub.makeStream()
        // Registration runs on the I/O queue, where batches are published too: history up to the
        // committed revision, then live events, with nothing in between.
        io.async {
            do {
                let (revision, compacted) = try self.readState { ($0.revision, $0.compacted) }
                if startRevision != 0, startRevision <= compacted {
                    throw StorageError(.compacted, message: "required revision \(startRevision) has been compacted (compacted revision \(compacted))")
                }
                let history = startRevision == 0 || startRevision > revision ? [] :
                    try SQLiteSchema.history(prefix: prefix, from: startRevision, through: revision, self.database.db)
                self.hub.register(prefix: prefix, continuation: continuation, initial: history)
            } catch {
                continuation.finish(throwing: error)
            }
        }
        return stream
    }

    public func requestWatchProgress() async {
        // On the I/O queue, so the notification follows every batch already published.
        io.async {
            let revision = self.state.withLock { $0.revision }
            self.hub.progress(revision: revision)
        }
    }

    public func compact(revision: Int64) async throws {
        let current = try readState { state -> Int64 in
            guard revision <= state.revision else { throw StorageError(.futureRevision, message: "compaction revision \(revision) is in the future") }
            return state.revision
        }
        guard revision > (try readState { $0.compacted }) else { return }
        try await onQueue { db in try SQLiteSchema.compact(to: revision, currentRevision: current, db) }
        state.withLock { $0.compacted = max($0.compacted, revision) }
    }

    public func close() async throws {
        state.withLock { state in
            if state.failure == nil { state.failure = StorageError(.unavailable, message: "the store is closed") }
        }
        // Pending commits finish on the queue before this runs.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            io.async { continuation.resume() }
        }
        hub.closeAll()
    }

    private func checkReadable(_ revision: Int64, _ state: State) throws {
        if revision > state.revision { throw StorageError(.futureRevision, message: "required revision \(revision) is a future revision") }
        if revision <= state.compacted { throw StorageError(.compacted, message: "required revision \(revision) has been compacted") }
    }

    private func readState<T>(_ body: (State) throws -> T) throws -> T {
        try state.withLock { try body($0) }
    }

    private func onQueue<T: Sendable>(_ body: @escaping @Sendable (SQLiteDatabase) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            io.async {
                continuation.resume(with: Result { try body(self.database.db) })
            }
        }
    }
}

/// Holds the connection. `@unchecked Sendable` is safe because the connection is only used from
/// the storage's serial I/O queue (and from `init`, before the storage is shared).
private final class DatabaseBox: @unchecked Sendable {
    let db: SQLiteDatabase

    init(_ db: SQLiteDatabase) {
        self.db = db
    }
}
