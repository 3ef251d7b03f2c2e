import Foundation
import SkiffHostProcess

/// The host mounts behind memory-backed volumes (tests substitute their own).
protocol VolumeMounter: Sendable {
    /// Mounts a tmpfs on `path` unless one is there already.
    func mountMemory(at path: String) async throws
    /// Unmounts everything mounted at or below `path`, deepest first.
    func unmountAll(under path: String) async
}

/// `mount -t tmpfs` and `umount`, with the mount table read from `/proc/self/mounts`.
struct HostVolumeMounter: VolumeMounter {
    func mountMemory(at path: String) async throws {
        guard !Self.mountPoints().contains(path) else { return }
        try await HostCommand.run(["mount", "-t", "tmpfs", "-o", "mode=0755", "tmpfs", path])
    }

    func unmountAll(under path: String) async {
        let below = Self.mountPoints().filter { $0 == path || $0.hasPrefix(path + "/") }
        for point in below.sorted(by: { $0.count > $1.count }) {
            _ = try? await HostCommand.run(["umount", point], check: false)
        }
    }

    /// The mount points of this process's mount namespace (octal escapes such as `\040` decoded).
    private static func mountPoints() -> [String] {
        // Read to the end: procfs files report size 0, which whole-file reads may take at its word.
        guard let file = FileHandle(forReadingAtPath: "/proc/self/mounts") else { return [] }
        defer { try? file.close() }
        let table = String(decoding: file.readDataToEndOfFile(), as: UTF8.self)
        return table.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            return fields.count > 1 ? decode(String(fields[1])) : nil
        }
    }

    private static func decode(_ field: String) -> String {
        var bytes: [UInt8] = []
        var rest = Substring(field).utf8[...]
        while let byte = rest.first {
            if byte == UInt8(ascii: "\\"), rest.count >= 4, let value = UInt8(String(decoding: rest.dropFirst().prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(value)
                rest = rest.dropFirst(4)
            } else {
                bytes.append(byte)
                rest = rest.dropFirst()
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
