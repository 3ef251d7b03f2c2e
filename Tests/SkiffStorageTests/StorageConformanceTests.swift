import Foundation
import Logging
import SkiffStorage
import Testing

/// The behaviour every storage backend must have (etcd v3 semantics). Each test runs against
/// every backend, one at a time (each etcd case starts an etcd of its own, and nine starting
/// at once on two loaded cores time out).
@Suite(.serialized, .timeLimit(.minutes(5))) struct StorageConformanceTests {
    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case memory, sqlite, etcd
        var testDescription: String { rawValue }

        /// The backends these tests run against: etcd only where its binary is installed
        /// (`etcdIsInstalled` is skipped with the reason otherwise).
        static var available: [Backend] { allCases.filter { $0 != .etcd || EtcdTestServer.binary != nil } }

        func open() async throws -> any Storage {
            switch self {
            case .memory: return MemoryStorage()
            case .sqlite:
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-storage-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                return try SQLiteStorage(path: directory.appendingPathComponent("db.sqlite").path, logger: Logger(label: "test"))
            case .etcd: return try await EtcdTestStore.open()
            }
        }
    }

    /// Reports the etcd backend's tests as skipped, with the reason, where etcd is not installed.
    @Test(.enabled(if: EtcdTestServer.binary != nil, Comment(rawValue: EtcdTestServer.missingReason)))
    func etcdIsInstalled() async throws {
        let store = try await Backend.etcd.open()
        #expect(try await store.currentRevision() >= 1)
        try await store.close()
    }

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Runs `body` while asking `store` for a progress notification every 50 ms: a request made
    /// before an etcd watch is registered, or while it catches up, is dropped by etcd.
    private func whileRequestingProgress<T: Sendable>(
        of store: any Storage, _ body: () async throws -> T
    ) async throws -> T {
        let prober = Task {
            while !Task.isCancelled {
                await store.requestWatchProgress()
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        defer { prober.cancel() }
        return try await body()
    }

    @Test(arguments: Backend.available)
    func createGetUpdateDelete(_ backend: Backend) async throws {
        let store = try await backend.open()
        let created = try await store.create("/a/1", value: bytes("one"))
        #expect(created.createRevision == created.modRevision)
        #expect(try await store.get("/a/1", revision: 0)?.value == bytes("one"))
        do {
            _ = try await store.create("/a/1", value: bytes("again"))
            Issue.record("a second create succeeded")
        } catch let error as StorageError {
            #expect(error.code == .keyExists)
            #expect(error.current == created)
        }
        let updated = try await store.update("/a/1", value: bytes("two"), expectedModRevision: created.modRevision)
        #expect(updated.modRevision > created.modRevision)
        #expect(updated.createRevision == created.createRevision)
        do {
            _ = try await store.update("/a/1", value: bytes("stale"), expectedModRevision: created.modRevision)
            Issue.record("a stale update succeeded")
        } catch let error as StorageError {
            #expect(error.code == .conflict)
            #expect(error.current?.value == bytes("two"))
        }
        do {
            _ = try await store.delete("/a/1", expectedModRevision: created.modRevision)
            Issue.record("a stale delete succeeded")
        } catch let error as StorageError {
            #expect(error.code == .conflict)
            #expect(error.current == updated)
        }
        let deleted = try await store.delete("/a/1", expectedModRevision: updated.modRevision)
        #expect(deleted.previous.value == bytes("two"))
        #expect(deleted.revision > updated.modRevision)
        #expect(try await store.get("/a/1", revision: 0) == nil)
        do {
            _ = try await store.update("/a/1", value: bytes("x"), expectedModRevision: 1)
            Issue.record("an update of a missing key succeeded")
        } catch let error as StorageError {
            #expect(error.code == .keyNotFound)
        }
        try await store.close()
    }

    @Test(arguments: Backend.available)
    func revisionsIncreaseAcrossKeys(_ backend: Backend) async throws {
        let store = try await backend.open()
        var last: Int64 = try await store.currentRevision()
        for index in 0..<20 {
            let kv = try await store.create("/k/\(index)", value: bytes("\(index)"))
            #expect(kv.modRevision == last + 1)
            last = kv.modRevision
        }
        #expect(try await store.currentRevision() == last)
        try await store.close()
    }

    @Test(arguments: Backend.available)
    func pagedRangeIsASnapshot(_ backend: Backend) async throws {
        let store = try await backend.open()
        for index in 0..<25 { _ = try await store.create("/p/\(String(format: "%02d", index))", value: bytes("v\(index)")) }
        _ = try await store.create("/q/outside", value: bytes("x"))
        var request = RangeRequest(prefix: "/p/", limit: 10)
        let first = try await store.range(request)
        #expect(first.kvs.count == 10)
        #expect(first.more)
        #expect(first.count == 25)
        // Writes after the first page must not show in later pages read at its revision.
        _ = try await store.create("/p/99", value: bytes("late"))
        _ = try await store.delete("/p/20", expectedModRevision: nil)
        var seen = first.kvs.map(\.key)
        request.revision = first.revision
        var last = first
        while last.more {
            request.start = last.kvs.last!.key + "\u{0}"
            last = try await store.range(request)
            #expect(last.revision == first.revision)
            seen += last.kvs.map(\.key)
        }
        #expect(seen == (0..<25).map { "/p/" + String(format: "%02d", $0) })
        let current = try await store.range(RangeRequest(prefix: "/p/"))
        #expect(current.kvs.count == 25)
        #expect(current.kvs.last?.key == "/p/99")
        try await store.close()
    }

    @Test(arguments: Backend.available)
    func readsAtPastRevisions(_ backend: Backend) async throws {
        let store = try await backend.open()
        let one = try await store.create("/r/a", value: bytes("1"))
        let two = try await store.update("/r/a", value: bytes("2"), expectedModRevision: one.modRevision)
        _ = try await store.delete("/r/a", expectedModRevision: nil)
        #expect(try await store.get("/r/a", revision: one.modRevision)?.value == bytes("1"))
        #expect(try await store.get("/r/a", revision: two.modRevision)?.value == bytes("2"))
        #expect(try await store.get("/r/a", revision: 0) == nil)
        #expect(try await store.range(RangeRequest(prefix: "/r/", revision: two.modRevision)).kvs.map(\.value) == [bytes("2")])
        await #expect(throws: StorageError.self) { try await store.get("/r/a", revision: 1_000) }
        try await store.close()
    }

    @Test(arguments: Backend.available)
    func watchReplaysHistoryThenLiveInOrder(_ backend: Backend) async throws {
        let store = try await backend.open()
        let a = try await store.create("/w/a", value: bytes("a1"))
        _ = try await store.update("/w/a", value: bytes("a2"), expectedModRevision: a.modRevision)
        _ = try await store.create("/x/other", value: bytes("o"))
        let b = try await store.create("/w/b", value: bytes("b1"))
        var events: [KeyValueEvent] = []
        let stream = store.watch(prefix: "/w/", startRevision: a.modRevision)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                _ = try await store.delete("/w/b", expectedModRevision: b.modRevision)
                _ = try await store.create("/w/c", value: bytes("c1"))
            }
            for try await batch in stream {
                events += batch.events
                if events.count >= 5 { break }
            }
            try await group.waitForAll()
        }
        #expect(events.map(\.kv.key) == ["/w/a", "/w/a", "/w/b", "/w/b", "/w/c"])
        #expect(events.map(\.kind) == [.put, .put, .put, .delete, .put])
        #expect(events[3].previous?.value == bytes("b1"))
        #expect(events[3].kv.value == bytes("b1"))
        let revisions = events.map(\.revision)
        #expect(revisions == revisions.sorted())
        #expect(Set(revisions).count == revisions.count)
        try await store.close()
    }

    @Test(arguments: Backend.available)
    func watchFromZeroSeesOnlyNewWritesAndProgress(_ backend: Backend) async throws {
        let store = try await backend.open()
        _ = try await store.create("/z/old", value: bytes("old"))
        let stream = store.watch(prefix: "/z/", startRevision: 0)
        var iterator = stream.makeAsyncIterator()
        // Registration may be asynchronous (etcd): a progress notification proves the watch is
        // open, so progress is requested until one comes (a request before registration is lost).
        let progress = try await whileRequestingProgress(of: store) {
            var progress = try await iterator.next()
            while progress?.events.isEmpty == false { progress = try await iterator.next() }
            return progress
        }
        #expect(progress?.revision == (try await store.currentRevision()))
        _ = try await store.create("/z/new", value: bytes("new"))
        var batch = try await iterator.next()
        while batch?.events.isEmpty == true { batch = try await iterator.next() }   // the prober's late answers
        #expect(batch?.events.map(\.kv.key) == ["/z/new"])
        // Writes under another prefix only move the revision, which progress reports.
        // etcd ignores a progress request while a watch on the stream is catching up: asked again until answered.
        let other = try await store.create("/elsewhere", value: bytes("x"))
        let notification = try await whileRequestingProgress(of: store) {
            var notification = try await iterator.next()
            while let earlier = notification, earlier.events.isEmpty, earlier.revision < other.modRevision { notification = try await iterator.next() }
            return notification
        }
        #expect(notification?.events.isEmpty == true)
        #expect(notification?.revision == other.modRevision)
        try await store.close()
    }

    @Test(arguments: Backend.available)
    func concurrentWritersAreAllAcknowledgedAndWatchedOnce(_ backend: Backend) async throws {
        let store = try await backend.open()
        let start = try await store.currentRevision() + 1
        let stream = store.watch(prefix: "/c/", startRevision: start)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<16 {
                group.addTask {
                    for index in 0..<25 { _ = try await store.create("/c/\(writer)/\(index)", value: [UInt8(index)]) }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.range(RangeRequest(prefix: "/c/")).count == 400)
        var revisions: [Int64] = []
        for try await batch in stream {
            revisions += batch.events.map(\.revision)
            if revisions.count >= 400 { break }
        }
        #expect(revisions == Array(start..<(start + 400)))
        try await store.close()
    }

    /// Linearizable reads: a get or range that starts after a write was acknowledged sees it (or
    /// a later write), while other writers keep committing.
    @Test(arguments: Backend.available)
    func readsSeeEveryAcknowledgedWrite(_ backend: Backend) async throws {
        let store = try await backend.open()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    var kv = try await store.create("/r/\(writer)", value: [0])
                    for round in 1...20 {
                        kv = try await store.update(kv.key, value: [UInt8(round)], expectedModRevision: kv.modRevision)
                        #expect(try await store.get(kv.key, revision: 0) == kv)
                        let listed = try await store.range(RangeRequest(prefix: "/r/"))
                        #expect(listed.revision >= kv.modRevision)
                        #expect(listed.kvs.first { $0.key == kv.key } == kv)
                        #expect(try await store.get(kv.key, revision: kv.modRevision) == kv)
                    }
                }
            }
            try await group.waitForAll()
        }
        try await store.close()
    }

    @Test(arguments: Backend.available)
    func compactionExpiresHistoryButKeepsLatest(_ backend: Backend) async throws {
        let store = try await backend.open()
        let a = try await store.create("/m/a", value: bytes("a1"))
        let a2 = try await store.update("/m/a", value: bytes("a2"), expectedModRevision: a.modRevision)
        let b = try await store.create("/m/b", value: bytes("b"))
        _ = try await store.delete("/m/b", expectedModRevision: b.modRevision)
        let c = try await store.create("/m/c", value: bytes("c"))
        try await store.compact(revision: c.modRevision - 1)
        #expect(try await store.compactedRevision() == c.modRevision - 1)
        await #expect(throws: StorageError.self) { try await store.get("/m/a", revision: a.modRevision) }
        await #expect(throws: StorageError.self) { try await store.range(RangeRequest(prefix: "/m/", revision: a2.modRevision)) }
        do {
            for try await _ in store.watch(prefix: "/m/", startRevision: a.modRevision) { break }
            Issue.record("a watch below the compacted revision started")
        } catch let error as StorageError {
            #expect(error.code == .compacted)
        }
        let latest = try await store.range(RangeRequest(prefix: "/m/", revision: c.modRevision))
        #expect(latest.kvs.map(\.value) == [bytes("a2"), bytes("c")])
        #expect(try await store.range(RangeRequest(prefix: "/m/")).kvs.map(\.key) == ["/m/a", "/m/c"])
        try await store.close()
    }
}
