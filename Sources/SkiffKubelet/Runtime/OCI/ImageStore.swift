import Foundation
import SkiffAPI
import SkiffHostProcess

/// The node's images under `<root>`: blobs by digest (`blobs/sha256/<hex>`, verified with
/// SHA-256 on the way in), the manifest each pulled name resolved to (`refs/`), and each image's
/// unpacked root filesystem (`rootfs/<config hex>`, built once, layer by layer with whiteouts).
/// Writes go to a temporary name first and are renamed into place, so concurrent pulls of the same
/// image are safe.
final class ImageStore: Sendable {
    let root: String

    /// The store of the kubelet whose root (data) directory is `kubeletRoot`: `<kubeletRoot>/images`,
    /// where the OCI runtime pulls to and `skiff images import` loads into.
    convenience init(kubeletRoot: String) {
        self.init(root: "\(kubeletRoot)/images")
    }

    init(root: String) {
        self.root = root
        for directory in ["blobs/sha256", "refs", "rootfs", "tmp"] {
            try? FileManager.default.createDirectory(atPath: "\(root)/\(directory)", withIntermediateDirectories: true)
        }
    }

    func blobPath(_ digest: String) -> String { "\(root)/blobs/sha256/\(Self.hex(digest))" }

    func hasBlob(_ digest: String) -> Bool { FileManager.default.fileExists(atPath: blobPath(digest)) }

    /// Stores `bytes` as `digest` after checking that they hash to it.
    func putBlob(_ bytes: [UInt8], digest: String, image: ImageName) async throws {
        let temporary = "\(root)/tmp/\(UUID().uuidString)"
        try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        let sum = try await commit(temporary, expecting: digest)
        guard sum == digest else {
            throw ImagePullError(image: image, cause: "failed commit on ref \"\(digest)\": unexpected commit digest \(sum), expected \(digest)")
        }
    }

    /// Stores a copy of the file at `path` as a blob and returns its digest; when `expected` is
    /// given and the file does not hash to it, stores nothing and returns the digest it has.
    func importBlob(at path: String, expected: String? = nil) async throws -> String {
        let temporary = "\(root)/tmp/\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: path, toPath: temporary)
        return try await commit(temporary, expecting: expected)
    }

    /// Hashes the file at `temporary` and moves it into place as that blob, unless it does not
    /// hash to `expected` (then it is removed); returns its digest.
    private func commit(_ temporary: String, expecting expected: String?) async throws -> String {
        let digest = "sha256:" + (try await HostCommand.run(["sha256sum", temporary]).output.prefix(64))
        guard expected == nil || expected == digest else {
            try? FileManager.default.removeItem(atPath: temporary)
            return digest
        }
        try Self.moveIntoPlace(temporary, blobPath(digest))
        return digest
    }

    /// The image's `os/architecture` when its config names another platform than this node's
    /// (linux and its architecture); nil when it runs here (a config that names none is taken to).
    func foreignPlatform(_ configDigest: String) -> String? {
        let data = FileManager.default.contents(atPath: blobPath(configDigest)) ?? Data()
        let config = (try? JSONValue(parsing: Array(data))) ?? .emptyObject
        let os = config["os"]?.stringValue ?? "linux"
        let architecture = config["architecture"]?.stringValue ?? NodeConfiguration.architecture
        return os == "linux" && architecture == NodeConfiguration.architecture ? nil : "\(os)/\(architecture)"
    }

    /// The size of the image's config and layers as stored, in bytes.
    func size(_ manifest: ImageManifest) -> Int64 {
        ([manifest.configDigest] + manifest.layerDigests).reduce(0) { total, digest in
            let attributes = try? FileManager.default.attributesOfItem(atPath: blobPath(digest))
            return total + ((attributes?[.size] as? NSNumber)?.int64Value ?? 0)
        }
    }

    /// The manifest `name` resolved to when it was last pulled.
    func resolved(_ name: ImageName) -> ImageManifest? {
        guard let data = FileManager.default.contents(atPath: refPath(name)), let json = try? JSONValue(parsing: Array(data)) else { return nil }
        return Self.manifest(json).flatMap { hasBlob($0.configDigest) ? $0 : nil }
    }

    /// Every name pulled or imported, with the manifest it resolves to, by name.
    func references() -> [(name: String, manifest: ImageManifest)] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/refs")) ?? []
        return files.compactMap { file -> (String, ImageManifest)? in
            guard let data = FileManager.default.contents(atPath: "\(root)/refs/\(file)"), let json = try? JSONValue(parsing: Array(data)),
                let name = json["name"]?.stringValue, let manifest = Self.manifest(json), hasBlob(manifest.configDigest)
            else { return nil }
            return (name, manifest)
        }.sorted { $0.0 < $1.0 }
    }

    private static func manifest(_ json: JSONValue) -> ImageManifest? {
        guard let config = json["config"]?.stringValue else { return nil }
        return ImageManifest(configDigest: config, layerDigests: json["layers"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    /// Remembers that `name` resolves to `manifest`.
    func record(_ name: ImageName, _ manifest: ImageManifest) throws {
        let json: JSONValue = [
            "name": .string(name.description), "config": .string(manifest.configDigest),
            "layers": .array(manifest.layerDigests.map(JSONValue.string)),
        ]
        let temporary = "\(root)/tmp/\(UUID().uuidString)"
        try Data(json.serialized()).write(to: URL(fileURLWithPath: temporary))
        try Self.moveIntoPlace(temporary, refPath(name), replacing: true)
    }

    /// The image's config (`Entrypoint`, `Cmd`, `Env`, `WorkingDir`, `User`).
    func config(_ manifest: ImageManifest) throws -> JSONValue {
        let data = FileManager.default.contents(atPath: blobPath(manifest.configDigest)) ?? Data()
        return try JSONValue(parsing: Array(data))["config"] ?? .emptyObject
    }

    /// The unpacked root filesystem of the image, unpacking it first if needed.
    func rootfs(_ manifest: ImageManifest) async throws -> String {
        let target = "\(root)/rootfs/\(Self.hex(manifest.configDigest))"
        if FileManager.default.fileExists(atPath: target) { return target }
        let temporary = "\(root)/tmp/\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        do {
            for layer in manifest.layerDigests { try await LayerUnpacker(rootfs: temporary).apply(blobPath(layer)) }
            try Self.moveIntoPlace(temporary, target)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        return target
    }

    private func refPath(_ name: ImageName) -> String {
        "\(root)/refs/" + name.description.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? String($0) : "_" }.joined()
    }

    private static func hex(_ digest: String) -> String {
        digest.hasPrefix("sha256:") ? String(digest.dropFirst(7)) : digest
    }

    /// Renames `source` to `target`; when another writer got there first, keeps theirs (or, with
    /// `replacing`, replaces it).
    private static func moveIntoPlace(_ source: String, _ target: String, replacing: Bool = false) throws {
        if rename(source, target) == 0 { return }
        if replacing { try? FileManager.default.removeItem(atPath: target) } else if FileManager.default.fileExists(atPath: target) {
            try? FileManager.default.removeItem(atPath: source)
            return
        }
        guard rename(source, target) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
