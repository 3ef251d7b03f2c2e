import Foundation
import SkiffHostProcess

/// Applies one image layer (a tar, possibly gzip-compressed) to a root filesystem, with the
/// OCI whiteouts: a `.wh.<name>` entry deletes `<name>` from the layers below and
/// `.wh..wh..opq` empties its directory. Whiteouts are applied before the layer is extracted
/// (so the layer's own files survive), and the markers are removed after. Extraction is Debian's
/// `tar` (it reads gzip and every tar dialect layers use).
struct LayerUnpacker {
    static let opaqueMarker = ".wh..wh..opq"
    let rootfs: String

    func apply(_ layer: String) async throws {
        let entries = try await HostCommand.run(["tar", "-tf", layer]).output.split(separator: "\n").map(String.init)
        var markers: [String] = []
        for entry in entries {
            var path = entry.hasPrefix("./") ? String(entry.dropFirst(2)) : entry
            if path.hasSuffix("/") { path.removeLast() }
            let components = path.split(separator: "/").map(String.init)
            guard let base = components.last, base.hasPrefix(".wh."), !components.contains("..") else { continue }
            let directory = components.dropLast().joined(separator: "/")
            markers.append(path)
            let directoryPath = directory.isEmpty ? rootfs : "\(rootfs)/\(directory)"
            if base == Self.opaqueMarker {
                for child in (try? FileManager.default.contentsOfDirectory(atPath: directoryPath)) ?? [] {
                    try? FileManager.default.removeItem(atPath: "\(directoryPath)/\(child)")
                }
            } else {
                try? FileManager.default.removeItem(atPath: "\(directoryPath)/\(base.dropFirst(4))")
            }
        }
        try await HostCommand.run(["tar", "-xf", layer, "-C", rootfs, "--numeric-owner", "--same-permissions", "--no-overwrite-dir"])
        for marker in markers { try? FileManager.default.removeItem(atPath: "\(rootfs)/\(marker)") }
    }
}
