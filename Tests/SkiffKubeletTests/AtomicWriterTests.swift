import Foundation
import SkiffAPI
import Testing

@testable import SkiffKubelet

/// The `..data` layout of config map, secret, downward API and projected volumes.
struct AtomicWriterTests {
    let directory: String
    let writer: AtomicWriter
    let manager = FileManager.default

    init() throws {
        directory = try volumeScratchDirectory()
        writer = AtomicWriter(directory: directory)
    }

    func link(_ name: String) -> String? { try? manager.destinationOfSymbolicLink(atPath: "\(directory)/\(name)") }

    @Test func filesAreReachedThroughDataLinkAndVisibleSymlinks() throws {
        let changed = try writer.write(
            ["greeting": VolumeFile(text: "hello"), "nested/deep.txt": VolumeFile(text: "deep", mode: 0o400)], now: Timestamp(seconds: 1_700_000_000))
        #expect(changed)
        let data = try #require(link("..data"))
        #expect(data.hasPrefix("..2023_11_14_22_13_20."))
        #expect(link("greeting") == "..data/greeting")
        #expect(link("nested") == "..data/nested")
        #expect(fileText("\(directory)/greeting") == "hello")
        #expect(fileText("\(directory)/nested/deep.txt") == "deep")
        #expect(fileMode("\(directory)/\(data)/greeting") == 0o644)
        #expect(fileMode("\(directory)/\(data)/nested/deep.txt") == 0o400)
        #expect(Set(try manager.contentsOfDirectory(atPath: directory)) == ["..data", data, "greeting", "nested"])
    }

    @Test func anUnchangedPayloadIsNotRewritten() throws {
        try writer.write(["a": VolumeFile(text: "1")], now: Timestamp(seconds: 1))
        let first = link("..data")
        #expect(try writer.write(["a": VolumeFile(text: "1")], now: Timestamp(seconds: 2)) == false)
        #expect(link("..data") == first)
        // A changed mode is a change.
        #expect(try writer.write(["a": VolumeFile(text: "1", mode: 0o600)], now: Timestamp(seconds: 3)))
    }

    @Test func anUpdateSwitchesTheDataLinkAndDropsOldNames() throws {
        try writer.write(["a": VolumeFile(text: "1"), "b": VolumeFile(text: "2")], now: Timestamp(seconds: 1))
        let first = try #require(link("..data"))
        try writer.write(["a": VolumeFile(text: "one"), "c": VolumeFile(text: "3")], now: Timestamp(seconds: 2))
        let second = try #require(link("..data"))
        #expect(second != first)
        #expect(fileText("\(directory)/a") == "one")
        #expect(fileText("\(directory)/c") == "3")
        #expect(Set(try manager.contentsOfDirectory(atPath: directory)) == ["..data", second, "a", "c"])
    }

    @Test(arguments: ["/etc/passwd", "../escape", "a/../../b", "..hidden", ""])
    func pathsLeavingTheVolumeAreRefused(_ path: String) throws {
        #expect(throws: AtomicWriter.InvalidPath.self) { try writer.write([path: VolumeFile(text: "x")], now: Timestamp(seconds: 1)) }
    }
}
