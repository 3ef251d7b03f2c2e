import Foundation
import Logging
import SkiffStorage
import Testing

/// A watcher that falls further behind than its buffer allows ends with `watchOverflow` (its
/// owner relists), on the backends whose watches buffer in process.
@Suite struct WatchOverflowTests {
    enum Backend: String, CaseIterable {
        case memory, sqlite

        func open(bufferLimit: Int) throws -> any Storage {
            switch self {
            case .memory: return MemoryStorage(watchBufferLimit: bufferLimit)
            case .sqlite:
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-overflow-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                return try SQLiteStorage(path: directory.appendingPathComponent("db.sqlite").path, watchBufferLimit: bufferLimit,
                                         logger: Logger(label: "test"))
            }
        }
    }

    /// The code the stream ended with, after reading everything buffered before it.
    private func endingCode(of stream: WatchStream) async -> StorageError.Code? {
        do {
            for try await _ in stream {}
            return nil
        } catch let error as StorageError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test(arguments: Backend.allCases)
    func liveEventsPastTheBufferEndTheWatch(_ backend: Backend) async throws {
        let store = try backend.open(bufferLimit: 3)
        let stream = store.watch(prefix: "/o/", startRevision: 0)
        // A progress notification proves the watch is registered before the writes.
        var iterator = stream.makeAsyncIterator()
        await store.requestWatchProgress()
        _ = try await iterator.next()
        for index in 0..<6 { _ = try await store.create("/o/\(index)", value: Array("v".utf8)) }
        var code: StorageError.Code?
        do {
            while try await iterator.next() != nil {}
        } catch let error as StorageError {
            code = error.code
        }
        #expect(code == .watchOverflow)
        // The store goes on serving writes and new watches.
        _ = try await store.create("/o/after", value: Array("v".utf8))
        #expect(try await store.get("/o/after", revision: 0) != nil)
        try await store.close()
    }

    @Test(arguments: Backend.allCases)
    func replayedHistoryPastTheBufferEndsTheWatch(_ backend: Backend) async throws {
        let store = try backend.open(bufferLimit: 3)
        let first = try await store.create("/h/0", value: Array("v".utf8))
        for index in 1..<6 { _ = try await store.create("/h/\(index)", value: Array("v".utf8)) }
        #expect(await endingCode(of: store.watch(prefix: "/h/", startRevision: first.modRevision)) == .watchOverflow)
        try await store.close()
    }
}
