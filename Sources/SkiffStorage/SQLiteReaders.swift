import Dispatch
import Synchronization

/// The SQLite backend's read connections, beside the committer's: reads of values (current ones,
/// whose revisions the in-memory index gives, and past ones) run here, on a concurrent queue, so
/// they neither wait for a commit's fsync nor block the caller's thread. A connection is opened
/// when every open one is busy and kept for the next read, so there are at most as many as reads
/// ever ran at once. In WAL mode a read transaction sees every transaction committed before it
/// began, so a read that starts after a write was acknowledged sees the write.
final class SQLiteReaders: Sendable {
    private let path: String
    private let idle = Mutex<[DatabaseBox]>([])
    private let queue = DispatchQueue(label: "skiff.sqlite.read", attributes: .concurrent)

    init(path: String) {
        self.path = path
    }

    /// Runs `body` in one read transaction (one snapshot of the database) on a free connection.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteDatabase) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.withConnection(body) })
            }
        }
    }

    private func withConnection<T>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        let box = try idle.withLock { $0.popLast() } ?? open()
        defer { idle.withLock { $0.append(box) } }
        try box.db.query("BEGIN")
        do {
            let result = try body(box.db)
            try box.db.query("COMMIT")
            return result
        } catch {
            try? box.db.query("ROLLBACK")
            throw error
        }
    }

    private func open() throws -> DatabaseBox {
        let db = try SQLiteDatabase(path: path)
        try db.execute("PRAGMA query_only=1")
        return DatabaseBox(db)
    }
}
