import Foundation
import SkiffAPI

/// A log file rotated by size as upstream's audit log (lumberjack): a write that would take the
/// file past `maxSize` first renames it to `NAME-2006-01-02T15-04-05.000.EXT` (UTC) and starts
/// a new one; then backups beyond `maxBackups` (newest kept) or older than `maxAge` are removed.
final class RotatingLogFile {
    /// When to rotate and which backups to keep.
    struct Limits: Sendable {
        /// Bytes before rotating (`--audit-log-maxsize` in MB; upstream's default, 0, is 100 MB).
        var maxSize: Int = 100 * 1024 * 1024
        /// Backups kept (`--audit-log-maxbackup`); 0 keeps all.
        var maxBackups = 0
        /// Days a backup is kept (`--audit-log-maxage`); 0 keeps them whatever their age.
        var maxAgeDays = 0

        /// The limits of upstream's flags (megabytes, count, days).
        init(maxSizeMB: Int = 0, maxBackups: Int = 0, maxAgeDays: Int = 0) {
            maxSize = (maxSizeMB > 0 ? maxSizeMB : 100) * 1024 * 1024
            self.maxBackups = max(0, maxBackups)
            self.maxAgeDays = max(0, maxAgeDays)
        }
    }

    let path: String
    let limits: Limits
    let clock: any TimestampClock
    private var handle: FileHandle?
    private var size = 0

    init(path: String, limits: Limits, clock: any TimestampClock) {
        self.path = path
        self.limits = limits
        self.clock = clock
    }

    /// Appends `bytes`, rotating first if they would not fit.
    func write(_ bytes: [UInt8]) throws {
        if handle == nil { try openExistingOrNew(adding: bytes.count) }
        if size + bytes.count > limits.maxSize { try rotate() }
        try handle?.write(contentsOf: bytes)
        size += bytes.count
    }

    func close() {
        try? handle?.close()
        handle = nil
    }

    private func openExistingOrNew(adding count: Int) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let existing = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
        guard let existing, existing + count <= limits.maxSize, let file = FileHandle(forWritingAtPath: path) else {
            return try rotate()
        }
        _ = try file.seekToEnd()
        handle = file
        size = existing
    }

    /// Moves the current file aside (if any), starts an empty one, removes old backups.
    private func rotate() throws {
        close()
        let manager = FileManager.default
        if manager.fileExists(atPath: path) {
            let backup = backupPath(at: clock.now)
            try? manager.removeItem(atPath: backup)
            try manager.moveItem(atPath: path, toPath: backup)
        }
        guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let file = FileHandle(forWritingAtPath: path)
        else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        handle = file
        size = 0
        removeOldBackups()
    }

    /// `DIR/NAME-2006-01-02T15-04-05.000.EXT` for a rotation at `time`.
    func backupPath(at time: Timestamp) -> String {
        let (stem, ext) = nameParts
        let stamp = String(time.rfc3339Micro.prefix(23)).replacingOccurrences(of: ":", with: "-")
        return stem + "-" + stamp + ext
    }

    /// The path without its extension, and the extension with its dot.
    private var nameParts: (stem: String, ext: String) {
        let ext = (path as NSString).pathExtension
        return ext.isEmpty ? (path, "") : (String(path.dropLast(ext.count + 1)), "." + ext)
    }

    /// The backups of this file, newest first.
    func backups() -> [(path: String, time: Timestamp)] {
        let (stem, ext) = nameParts
        let directory = (path as NSString).deletingLastPathComponent
        let prefix = (stem as NSString).lastPathComponent + "-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        let found = names.compactMap { name -> (path: String, time: Timestamp)? in
            guard name.hasPrefix(prefix), name.hasSuffix(ext), name.count > prefix.count + ext.count else { return nil }
            let stamp = name.dropFirst(prefix.count).dropLast(ext.count)
            guard stamp.count == 23 else { return nil }
            let text = stamp.prefix(10) + "T" + stamp.dropFirst(11).prefix(8).replacingOccurrences(of: "-", with: ":") + stamp.dropFirst(19) + "Z"
            guard let time = Timestamp(rfc3339: String(text)) else { return nil }
            return ((directory.isEmpty ? "" : directory + "/") + name, time)
        }
        return found.sorted { $0.time > $1.time }
    }

    private func removeOldBackups() {
        var backups = backups()
        var removed: [String] = []
        if limits.maxBackups > 0, backups.count > limits.maxBackups {
            removed += backups.dropFirst(limits.maxBackups).map(\.path)
            backups = Array(backups.prefix(limits.maxBackups))
        }
        if limits.maxAgeDays > 0 {
            let cutoff = clock.now.adding(seconds: -Int64(limits.maxAgeDays) * 86_400)
            removed += backups.filter { $0.time < cutoff }.map(\.path)
        }
        for path in removed { try? FileManager.default.removeItem(atPath: path) }
    }
}
