import Foundation
import SkiffAPI

/// Writes a volume's files so that a container never sees half of an update, as upstream's
/// kubelet `AtomicWriter` does: the files go into a fresh hidden directory `..<timestamp>`, the
/// symlink `..data` is switched to it by a rename, and each visible top-level name is a symlink
/// through `..data` (`key -> ..data/key`). The previous hidden directory and names no longer in
/// the payload are removed afterwards. Nothing is written when the payload did not change.
struct AtomicWriter {
    static let dataLink = "..data"
    private static let temporaryLink = "..data_tmp"

    /// The volume's directory.
    let directory: String

    /// What a payload is refused for.
    struct InvalidPath: Error, CustomStringConvertible {
        var path: String
        var description: String { "invalid path \"\(path)\": must be relative, without '..' elements" }
    }

    /// Makes the directory hold exactly `payload` (relative paths); returns whether anything changed.
    @discardableResult
    func write(_ payload: [String: VolumeFile], now: Timestamp) throws -> Bool {
        for path in payload.keys { try Self.validate(path) }
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let current = try? manager.destinationOfSymbolicLink(atPath: "\(directory)/\(Self.dataLink)")
        if let current, (try? Self.read("\(directory)/\(current)")) == payload { return false }

        let stamp = now.rfc3339.map { "-:".contains($0) ? "_" : $0 == "T" ? "_" : $0 }.filter { $0 != "Z" }
        let fresh = "..\(String(stamp)).\(UInt32.random(in: 0 ... .max))"
        let freshPath = "\(directory)/\(fresh)"
        try manager.createDirectory(atPath: freshPath, withIntermediateDirectories: false)
        chmod(freshPath, 0o755)
        for (path, file) in payload.sorted(by: { $0.key < $1.key }) {
            let target = "\(freshPath)/\(path)"
            let parent = (target as NSString).deletingLastPathComponent
            try manager.createDirectory(atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            try Data(file.data).write(to: URL(fileURLWithPath: target))
            chmod(target, mode_t(file.mode & 0o7777))
        }
        let temporary = "\(directory)/\(Self.temporaryLink)"
        try? manager.removeItem(atPath: temporary)
        try manager.createSymbolicLink(atPath: temporary, withDestinationPath: fresh)
        guard rename(temporary, "\(directory)/\(Self.dataLink)") == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: "\(directory)/\(Self.dataLink)"])
        }

        let visible = Set(payload.keys.map { String($0.split(separator: "/")[0]) })
        for name in visible where (try? manager.destinationOfSymbolicLink(atPath: "\(directory)/\(name)")) == nil {
            try manager.createSymbolicLink(atPath: "\(directory)/\(name)", withDestinationPath: "\(Self.dataLink)/\(name)")
        }
        for name in try manager.contentsOfDirectory(atPath: directory) where !name.hasPrefix("..") && !visible.contains(name) {
            try manager.removeItem(atPath: "\(directory)/\(name)")
        }
        if let current { try? manager.removeItem(atPath: "\(directory)/\(current)") }
        return true
    }

    /// Refuses absolute paths, `..` elements and names starting with `..` (the writer's own).
    static func validate(_ path: String) throws {
        let elements = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.isEmpty, !path.hasPrefix("/"), !path.hasPrefix(".."), !elements.contains("..") else { throw InvalidPath(path: path) }
    }

    /// The files under `root` with their permission bits, by relative path.
    private static func read(_ root: String) throws -> [String: VolumeFile] {
        let manager = FileManager.default
        var files: [String: VolumeFile] = [:]
        guard let enumerator = manager.enumerator(atPath: root) else { return files }
        while let path = enumerator.nextObject() as? String {
            let attributes = try manager.attributesOfItem(atPath: "\(root)/\(path)")
            guard attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            let mode = (attributes[.posixPermissions] as? NSNumber)?.int32Value ?? 0
            files[path] = VolumeFile(Array(try Data(contentsOf: URL(fileURLWithPath: "\(root)/\(path)"))), mode: mode)
        }
        return files
    }
}
