import Foundation

/// `hostPath`: a file or directory of the node bound as it is, after upstream's type check:
/// `""` checks nothing; `DirectoryOrCreate` and `FileOrCreate` create a missing directory (0755,
/// with its parents) or empty file (0644); `Directory`, `File`, `Socket`, `CharDevice` and
/// `BlockDevice` require that kind of file at the path.
struct HostPathVolume: PodVolume {
    var path: String
    var type: String

    var plugin: String? { nil }
    var inMemory: Bool { false }

    func setUp(in directory: String, _ context: VolumeContext) async throws -> String {
        let manager = FileManager.default
        switch type {
        case "DirectoryOrCreate" where !manager.fileExists(atPath: path):
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        case "FileOrCreate" where !manager.fileExists(atPath: path):
            guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]) else {
                throw VolumeSetUpError("hostPath type check failed: \(path) could not be created")
            }
        default: break
        }
        guard let (kind, description) = Self.required[type] else { return path }
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == kind else {
            throw VolumeSetUpError("hostPath type check failed: \(path) is not \(description)")
        }
        return path
    }

    /// The file kinds the checked types require, and how upstream's message names them.
    private static let required: [String: (mode_t, String)] = [
        "Directory": (S_IFDIR, "a directory"), "DirectoryOrCreate": (S_IFDIR, "a directory"),
        "File": (S_IFREG, "a file"), "FileOrCreate": (S_IFREG, "a file"),
        "Socket": (S_IFSOCK, "a socket file"), "CharDevice": (S_IFCHR, "a character device"), "BlockDevice": (S_IFBLK, "a block device"),
    ]
}
