import Foundation
import SkiffAPI
import Testing

@testable import SkiffKubelet

/// What the process runtime leaves on disk for a restarted kubelet: its metadata files and the
/// exit files its runc wrapper writes.
struct RuntimeMetadataTests {
    private func scratch() throws -> String {
        let path = "\(NSTemporaryDirectory())skiff-metadata-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func containerMetadataReadsBackAsWritten() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stored = RuntimeMetadata.Container(
            sandboxID: "s1", name: "app", attempt: 2, logPath: "/logs/app/2.log", image: "docker.io/library/busybox:latest",
            imageID: "docker.io/library/busybox@sha256:abc", createdAt: Timestamp(seconds: 1_700_000_000),
            startedAt: Timestamp(seconds: 1_700_000_001), tty: true, stdin: true, stdinOnce: false)
        try RuntimeMetadata.write(stored, to: "\(directory)/container.json")
        #expect(RuntimeMetadata.read(RuntimeMetadata.Container.self, from: "\(directory)/container.json") == stored)
        #expect(RuntimeMetadata.read(RuntimeMetadata.Container.self, from: "\(directory)/missing.json") == nil)
    }

    @Test func exitFilesGiveTheCodeOnceWritten() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = ContainerProcess.Files(bundle: directory)
        #expect(files.readExit() == nil)
        // The wrapper's echo may be caught half-written: an empty file is no exit yet.
        _ = FileManager.default.createFile(atPath: files.exit, contents: Data())
        #expect(files.readExit() == nil)
        _ = FileManager.default.createFile(atPath: files.exit, contents: Data("137\n".utf8))
        #expect(files.readExit()?.code == 137)
    }
}
