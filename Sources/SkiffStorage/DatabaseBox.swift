/// Holds one connection. `@unchecked Sendable` is safe because each connection is used by one
/// thread at a time: the writer from the storage's serial I/O queue (and from `init`, before the
/// storage is shared), a reader by whoever took it from `SQLiteReaders`' idle list.
final class DatabaseBox: @unchecked Sendable {
    let db: SQLiteDatabase

    init(_ db: SQLiteDatabase) {
        self.db = db
    }
}
