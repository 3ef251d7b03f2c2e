/// The SQL side of the SQLite backend: the schema and every query (see docs/storage.md).
enum SQLiteSchema {
    static func prepare(_ db: SQLiteDatabase) throws {
        try db.execute("PRAGMA journal_mode=WAL")
        try db.execute("PRAGMA synchronous=FULL")
        try db.execute("""
            CREATE TABLE IF NOT EXISTS kv (
                revision INTEGER PRIMARY KEY,
                key TEXT NOT NULL,
                create_revision INTEGER NOT NULL,
                prev_revision INTEGER NOT NULL,
                deleted INTEGER NOT NULL,
                value BLOB NOT NULL
            )
            """)
        try db.execute("CREATE INDEX IF NOT EXISTS kv_key_revision ON kv(key, revision)")
        try db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)")
    }

    struct Loaded {
        var revision: Int64
        var compacted: Int64
        var index: KeyIndex<KeyRevisions>
    }

    /// The revisions of every live key, the current and the compacted revision.
    static func load(_ db: SQLiteDatabase) throws -> Loaded {
        var loaded = Loaded(revision: 0, compacted: 0, index: KeyIndex())
        try db.query("SELECT COALESCE(MAX(revision), 0) FROM kv") { loaded.revision = $0.int(0) }
        try db.query("SELECT name, value FROM meta") { row in
            switch row.text(0) {
            case "compacted": loaded.compacted = row.int(1)
            case "revision": loaded.revision = max(loaded.revision, row.int(1))
            default: break
            }
        }
        try db.query("""
            SELECT k.key, k.create_revision, k.revision FROM kv k
            JOIN (SELECT key, MAX(revision) AS r FROM kv GROUP BY key) m ON k.key = m.key AND k.revision = m.r
            WHERE k.deleted = 0
            """) { row in
            loaded.index.put(row.text(0), KeyRevisions(createRevision: row.int(1), modRevision: row.int(2)))
        }
        return loaded
    }

    /// Appends a batch of writes in one transaction. A delete stores the key's last value.
    static func append(_ entries: [HistoryEntry], _ db: SQLiteDatabase) throws {
        try db.execute("BEGIN IMMEDIATE")
        do {
            for entry in entries {
                let deleted = entry.kv == nil
                let value = entry.kv?.value ?? entry.previous?.value ?? []
                let createRevision = entry.kv?.createRevision ?? entry.previous?.createRevision ?? entry.revision
                try db.query("INSERT INTO kv (revision, key, create_revision, prev_revision, deleted, value) VALUES (?, ?, ?, ?, ?, ?)", [
                    .int(entry.revision), .text(entry.key), .int(createRevision), .int(entry.previous?.modRevision ?? 0),
                    .int(deleted ? 1 : 0), .blob(value),
                ])
            }
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }

    /// The value the write at `revision` stored (for a live key's latest write: its current
    /// value), nil when compaction removed the row.
    static func value(writtenAt revision: Int64, _ db: SQLiteDatabase) throws -> [UInt8]? {
        var value: [UInt8]?
        try db.query("SELECT value FROM kv WHERE revision = ?", [.int(revision)]) { value = $0.blob(0) }
        return value
    }

    /// The values of keys whose revisions the index gives, in one read transaction; nil when a
    /// row is gone (the key was written again and compacted since the index was read).
    static func values(of page: [(key: String, entry: KeyRevisions)], _ db: SQLiteDatabase) throws -> [KeyValue]? {
        var kvs: [KeyValue] = []
        kvs.reserveCapacity(page.count)
        for (key, revisions) in page {
            guard let value = try value(writtenAt: revisions.modRevision, db) else { return nil }
            kvs.append(KeyValue(key: key, value: value, createRevision: revisions.createRevision, modRevision: revisions.modRevision))
        }
        return kvs
    }

    /// The value of one key at a past revision. Run in a read transaction, so that the check that
    /// the revision is not compacted holds for the rows read.
    static func value(of key: String, at revision: Int64, _ db: SQLiteDatabase) throws -> KeyValue? {
        var result: KeyValue?
        try db.query("SELECT create_revision, revision, deleted, value FROM kv WHERE key = ? AND revision <= ? ORDER BY revision DESC LIMIT 1",
                     [.text(key), .int(revision)]) { row in
            if row.int(2) == 0 { result = KeyValue(key: key, value: row.blob(3), createRevision: row.int(0), modRevision: row.int(1)) }
        }
        try checkNotCompacted(revision, db)
        return result
    }

    /// A range at a past revision, in a read transaction as `value(of:at:)`.
    static func range(_ request: RangeRequest, _ db: SQLiteDatabase) throws -> RangeResult {
        var kvs: [KeyValue] = []
        try db.query("""
            SELECT k.key, k.create_revision, k.revision, k.value FROM kv k
            JOIN (SELECT key, MAX(revision) AS r FROM kv WHERE key >= ? AND key < ? AND revision <= ? GROUP BY key) m
              ON k.key = m.key AND k.revision = m.r
            WHERE k.deleted = 0 ORDER BY k.key
            """, [.text(request.start), .text(request.end), .int(request.revision)]) { row in
            kvs.append(KeyValue(key: row.text(0), value: row.blob(3), createRevision: row.int(1), modRevision: row.int(2)))
        }
        try checkNotCompacted(request.revision, db)
        let count = kvs.count
        let more = request.limit > 0 && count > request.limit
        if more { kvs.removeLast(count - request.limit) }
        return RangeResult(kvs: kvs, more: more, count: count, revision: request.revision)
    }

    /// Throws `compacted` when a compaction at or above `revision` is recorded: a read at a past
    /// revision checks it in the same snapshot as its rows, so it never answers from history a
    /// compaction committed meanwhile has thinned.
    private static func checkNotCompacted(_ revision: Int64, _ db: SQLiteDatabase) throws {
        var compacted: Int64 = 0
        try db.query("SELECT value FROM meta WHERE name = 'compacted'") { compacted = $0.int(0) }
        if revision <= compacted { throw StorageError(.compacted, message: "required revision \(revision) has been compacted") }
    }

    /// The writes under `prefix` in `[from, through]`, in order, as watch events.
    static func history(prefix: String, from: Int64, through: Int64, _ db: SQLiteDatabase) throws -> [KeyValueEvent] {
        var events: [KeyValueEvent] = []
        try db.query("""
            SELECT k.revision, k.key, k.create_revision, k.deleted, k.value, p.revision, p.create_revision, p.value
            FROM kv k LEFT JOIN kv p ON p.revision = k.prev_revision
            WHERE k.revision >= ? AND k.revision <= ? AND k.key >= ? AND k.key < ? ORDER BY k.revision
            """, [.int(from), .int(through), .text(prefix), .text(RangeRequest.prefixEnd(prefix))]) { row in
            let key = row.text(1)
            let previous: KeyValue? = row.int(5) == 0 ? nil :
                KeyValue(key: key, value: row.blob(7), createRevision: row.int(6), modRevision: row.int(5))
            let entry = HistoryEntry(
                revision: row.int(0), key: key,
                kv: row.int(3) == 1 ? nil : KeyValue(key: key, value: row.blob(4), createRevision: row.int(2), modRevision: row.int(0)),
                previous: row.int(3) == 1 ? (previous ?? KeyValue(key: key, value: row.blob(4), createRevision: row.int(2), modRevision: row.int(0))) : previous)
            events.append(entry.event)
        }
        return events
    }

    /// Removes history at or below `revision`, except the last write of each key if it is live.
    static func compact(to revision: Int64, currentRevision: Int64, _ db: SQLiteDatabase) throws {
        try db.execute("BEGIN IMMEDIATE")
        do {
            try db.query("""
                DELETE FROM kv WHERE revision <= ? AND (deleted = 1 OR revision < (SELECT MAX(revision) FROM kv k2 WHERE k2.key = kv.key AND k2.revision <= ?))
                """, [.int(revision), .int(revision)])
            try db.query("INSERT OR REPLACE INTO meta (name, value) VALUES ('compacted', ?)", [.int(revision)])
            try db.query("INSERT OR REPLACE INTO meta (name, value) VALUES ('revision', ?)", [.int(currentRevision)])
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }
}
