import Foundation
import Logging
import SkiffStorage
import Testing

/// What only a persistent backend must do: keep acknowledged writes across a reopen and across a
/// killed process, with revisions that keep increasing.
@Suite struct SQLiteDurabilityTests {
    /// A fresh database path in a directory of its own (also for the other SQLite suites).
    static func scratchFile() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-durability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("db.sqlite").path
    }

    @Test func reopenKeepsDataAndRevisions() async throws {
        let path = try Self.scratchFile()
        var store: (any Storage)? = try SQLiteStorage(path: path, logger: Logger(label: "test"))
        let kv = try await store!.create("/d/a", value: Array("a".utf8))
        let deleted = try await store!.create("/d/b", value: Array("b".utf8))
        let gone = try await store!.delete("/d/b", expectedModRevision: deleted.modRevision)
        try await store!.close()
        store = nil
        let reopened = try SQLiteStorage(path: path, logger: Logger(label: "test"))
        #expect(try await reopened.get("/d/a", revision: 0) == kv)
        #expect(try await reopened.get("/d/b", revision: 0) == nil)
        #expect(try await reopened.currentRevision() == gone.revision)
        let next = try await reopened.create("/d/c", value: [])
        #expect(next.modRevision == gone.revision + 1)
        try await reopened.close()
    }

    /// A child process writes and prints every acknowledged key; it is killed with SIGKILL
    /// mid-stream; every printed key must be in the reopened store.
    @Test func acknowledgedWritesSurviveKill() async throws {
        let path = try Self.scratchFile()
        let helper = try #require(Self.crashHelperPath(), "the skiff-storage-crash-writer executable is built with the tests")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: helper)
        process.arguments = [path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var acknowledged: [String] = []
        var buffer = Data()
        let handle = output.fileHandleForReading
        while acknowledged.count < 300 {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                acknowledged.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                buffer.removeSubrange(buffer.startIndex...newline)
            }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(acknowledged.count >= 300)
        let reopened = try SQLiteStorage(path: path, logger: Logger(label: "test"))
        for key in acknowledged {
            #expect(try await reopened.get(key, revision: 0) != nil, "acknowledged key \(key) was lost")
        }
        try await reopened.close()
    }

    static func crashHelperPath() -> String? {
        let testBundle = Bundle.main.bundleURL
        let candidates = [
            testBundle.appendingPathComponent("skiff-storage-crash-writer").path,
            testBundle.deletingLastPathComponent().appendingPathComponent("skiff-storage-crash-writer").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
