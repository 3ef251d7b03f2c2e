import Dispatch
import Logging
import Synchronization

/// The `sqlite://PATH` backend, the embedded default.
///
/// Every write is one row of an append-only revision table (see docs/storage.md). The revisions of
/// every live key are kept in memory (not the values: the watch caches above hold those), so a
/// write's precondition is checked without a read and a current read fetches the rows by id
/// through `SQLiteReaders`. Writes are
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
        var index = KeyIndex<KeyRevisions>()
        /// The newest pending write per key, for precondition checks (nil value: a pending delete).
        var pending: [String: (revision: Int64, kv: KeyValue?)] = [:]
        var batch: [PendingWrite] = []
        var committing = false
        var failure: StorageError?
    }

    private struct PendingWrite {
        /// The write; `previous` has no value yet when `readsPrevious`.
        var entry: HistoryEntry
        /// The previous value was committed before the write was queued: the committer reads it
        /// (for the delete's row, the returned `DeleteResult` and the watch event) and drops it
        /// with the batch.
        var readsPrevious: Bool
        var continuation: CheckedContinuation<HistoryEntry, any Error>
    }

    /// A precondition failed against a committed value, which the index does not hold: `error`
    /// carries the key's revisions and gets its value read before it is thrown.
    private struct FailedOnCommitted: Error {
        var error: StorageError
    }

    private let state = Mutex(State())
    private let hub: WatcherHub
    private let io = DispatchQueue(label: "skiff.sqlite")
    private let database: DatabaseBox
    private let readers: SQLiteReaders
    private let logger: Logger

    /// Opens (creating if needed) the database at `path` and loads the latest state.
    public init(path: String, watchBufferLimit: Int = 10_000, logger: Logger) throws {
        self.logger = logger
        hub = WatcherHub(bufferLimit: watchBufferLimit)
        let db = try SQLiteDatabase(path: path)
        try SQLiteSchema.prepare(db)
        let loaded = try SQLiteSchema.load(db)
        database = DatabaseBox(db)
        readers = SQLiteReaders(path: path)
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
        while true {
            let current = try readState { state -> KeyRevisions?? in
                if revision == 0 || revision == state.revision { return .some(state.index[key]) }
                try checkReadable(revision, state)
                return nil
            }
            guard let current else {
                return try await readers.read { db in try SQLiteSchema.value(of: key, at: revision, db) }
            }
            guard let revisions = current else { return nil }
            let value = try await readers.read { db in try SQLiteSchema.value(writtenAt: revisions.modRevision, db) }
            // No row: the key was written again and compacted since; read the newer state.
            if let value { return KeyValue(key: key, value: value, createRevision: revisions.createRevision, modRevision: revisions.modRevision) }
        }
    }

    public func range(_ request: RangeRequest) async throws -> RangeResult {
        while true {
            let current = try readState { state -> (page: [(key: String, entry: KeyRevisions)], result: RangeResult)? in
                guard request.revision == 0 || request.revision == state.revision else {
                    try checkReadable(request.revision, state)
                    return nil
                }
                let page = state.index.range(start: request.start, end: request.end, limit: request.limit)
                return (page.entries, RangeResult(kvs: [], more: page.more, count: page.count, revision: state.revision))
            }
            guard var current else {
                return try await readers.read { db in try SQLiteSchema.range(request, db) }
            }
            let page = current.page
            // No rows: a key was written again and compacted since; read the newer state.
            guard let kvs = try await readers.read({ db in try SQLiteSchema.values(of: page, db) }) else { continue }
            current.result.kvs = kvs
            return current.result
        }
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
    /// is committed; returns it with its previous value. `build` sees the current value without
    /// its bytes when it is committed (the index holds revisions only); a precondition that fails
    /// against it is thrown with the value read from the database.
    private func submit(_ key: String, _ build: (State, KeyValue?) throws -> HistoryEntry) async throws -> HistoryEntry {
        while true {
            do {
                return try await enqueue(key, build)
            } catch let failed as FailedOnCommitted {
                var error = failed.error
                let revision = error.current!.modRevision
                // No row: the key was written again and compacted since; check against the newer state.
                guard let value = try await readers.read({ db in try SQLiteSchema.value(writtenAt: revision, db) }) else { continue }
                error.current!.value = value
                throw error
            }
        }
    }

    private func enqueue(_ key: String, _ build: (State, KeyValue?) throws -> HistoryEntry) async throws -> HistoryEntry {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HistoryEntry, any Error>) in
            let outcome: Result<Bool, any Error> = state.withLock { state in
                if let failure = state.failure { return .failure(failure) }
                let pending = state.pending[key]
                let current = pending.map(\.kv) ?? state.index[key].map {
                    KeyValue(key: key, value: [], createRevision: $0.createRevision, modRevision: $0.modRevision)
                }
                do {
                    let built = try build(state, current)
                    state.assigned = built.revision
                    state.pending[key] = (built.revision, built.kv)
                    state.batch.append(PendingWrite(entry: built, readsPrevious: pending == nil && built.previous != nil,
                                                    continuation: continuation))
                    if state.committing { return .success(false) }
                    state.committing = true
                    return .success(true)
                } catch let error as StorageError where pending == nil && error.current != nil {
                    return .failure(FailedOnCommitted(error: error))
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
            var entries = batch.map(\.entry)
            do {
                for (offset, write) in batch.enumerated() where write.readsPrevious {
                    // The key's latest committed write, which compaction (on this queue) keeps.
                    let revision = write.entry.previous!.modRevision
                    guard let value = try SQLiteSchema.value(writtenAt: revision, database.db) else {
                        throw StorageError(.unavailable, message: "the row of revision \(revision) of \(write.entry.key) is missing")
                    }
                    entries[offset].previous!.value = value
                }
                try SQLiteSchema.append(entries, database.db)
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
                for entry in entries {
                    if let kv = entry.kv {
                        state.index.put(entry.key, KeyRevisions(createRevision: kv.createRevision, modRevision: kv.modRevision))
                    } else {
                        state.index.remove(entry.key)
                    }
                    if state.pending[entry.key]?.revision == entry.revision { state.pending[entry.key] = nil }
                    state.revision = entry.revision
                }
                hub.publish(entries.map(\.event))
            }
            for (write, entry) in zip(batch, entries) { write.continuation.resume(returning: entry) }
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
