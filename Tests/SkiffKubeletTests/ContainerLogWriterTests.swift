import Foundation
import Testing

@testable import SkiffKubelet

/// The container log file as the OCI runtime writes it: CRI records, long lines in pieces, and a
/// full disk that drops records instead of stopping anything.
struct ContainerLogWriterTests {
    /// The records of a CRI log file, as (stream, tag, text).
    static func records(_ path: String) throws -> [(String, String, String)] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            return (fields[1], fields[2], fields.count > 3 ? fields[3] : "")
        }
    }

    @Test func linesBecomeRecordsAndALongLineIsWrittenIn16KiBPieces() throws {
        let path = NSTemporaryDirectory() + "skiff-log-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try ContainerLogWriter(path: path)
        writer.append(Array("hello\nwor".utf8), .stdout)
        writer.append(Array("ld\n".utf8), .stdout)
        let long = String(repeating: "x", count: 40 * 1024)
        writer.append(Array((long + "\n").utf8), .stderr)
        writer.append(Array("unterminated".utf8), .stdout)
        writer.flush(.stdout)
        let records = try Self.records(path)
        #expect(records.map(\.0) == ["stdout", "stdout", "stderr", "stderr", "stderr", "stdout"])
        #expect(records.map(\.1) == ["F", "F", "P", "P", "F", "P"])
        #expect(records[0].2 == "hello" && records[1].2 == "world" && records[5].2 == "unterminated")
        #expect(records[2...4].map(\.2.count) == [16 * 1024, 16 * 1024, 8 * 1024])
        #expect(records[2...4].map(\.2).joined() == long)
        #expect(writer.droppedRecords == 0)
    }

    @Test func aFullDiskDropsRecordsAndTheWriterGoesOn() throws {
        // Every write to /dev/full fails with ENOSPC, as on a full disk.
        let writer = try ContainerLogWriter(path: "/dev/full")
        writer.append(Array("one\ntwo\n".utf8), .stdout)
        writer.append(Array("three".utf8), .stderr)
        writer.flush(.stderr)
        #expect(writer.droppedRecords == 3)
    }
}
