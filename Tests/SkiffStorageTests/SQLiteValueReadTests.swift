import Foundation
import Logging
@testable import SkiffStorage
import Testing

/// The SQLite backend keeps only revisions in memory: every value it hands out is read from the
/// database. A second connection changes a stored row behind the store's back, and each way a
/// current value leaves the store (get, range, a failed precondition, a delete's previous value,
/// an update's previous value in a watch event) shows the database's bytes.
@Suite struct SQLiteValueReadTests {
    @Test func currentValuesComeFromTheDatabase() async throws {
        let path = try SQLiteDurabilityTests.scratchFile()
        let store = try SQLiteStorage(path: path, logger: Logger(label: "test"))
        let a = try await store.create("/v/a", value: Array("stored a".utf8))
        let b = try await store.create("/v/b", value: Array("stored b".utf8))
        let other = try SQLiteDatabase(path: path)
        for (kv, text) in [(a, "changed a"), (b, "changed b")] {
            try other.query("UPDATE kv SET value = ? WHERE revision = ?", [.blob(Array(text.utf8)), .int(kv.modRevision)])
        }
        #expect(try await store.get("/v/a", revision: 0)?.value == Array("changed a".utf8))
        #expect(try await store.range(RangeRequest(prefix: "/v/")).kvs.map(\.value) == [Array("changed a".utf8), Array("changed b".utf8)])
        do {
            _ = try await store.create("/v/a", value: [])
            Issue.record("a second create succeeded")
        } catch let error as StorageError {
            #expect(error.code == .keyExists)
            #expect(error.current == KeyValue(key: "/v/a", value: Array("changed a".utf8), createRevision: a.createRevision, modRevision: a.modRevision))
        }
        do {
            _ = try await store.update("/v/a", value: [], expectedModRevision: b.modRevision)
            Issue.record("a stale update succeeded")
        } catch let error as StorageError {
            #expect(error.code == .conflict)
            #expect(error.current?.value == Array("changed a".utf8))
        }
        // Registered on the committer's queue before the writes below are committed there, so
        // their events are live ones, with the previous values the committer read.
        let watch = store.watch(prefix: "/v/", startRevision: 0)
        let updated = try await store.update("/v/a", value: Array("new a".utf8), expectedModRevision: a.modRevision)
        let deleted = try await store.delete("/v/b", expectedModRevision: b.modRevision)
        #expect(deleted.previous.value == Array("changed b".utf8))
        var events: [KeyValueEvent] = []
        for try await batch in watch {
            events += batch.events
            if events.count == 2 { break }
        }
        #expect(events.map(\.revision) == [updated.modRevision, deleted.revision])
        #expect(events.first?.previous?.value == Array("changed a".utf8))
        #expect(events.last?.kv.value == Array("changed b".utf8))
        try await store.close()
    }
}
