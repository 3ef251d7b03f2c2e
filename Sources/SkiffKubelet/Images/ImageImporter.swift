import Foundation
import SkiffAPI
import SkiffHostProcess

/// Loads images from files into a node's image store, for machines without a registry
/// (`skiff images import`, as `ctr images import`): an OCI image layout (a directory, or a tar of
/// one, as `skopeo copy … oci-archive:` writes) or a `docker save` archive. Every blob is checked
/// against its digest; images for another platform are refused. A running kubelet sees an import
/// at once, so pods with `imagePullPolicy: IfNotPresent` or `Never` then start from it.
public struct ImageImporter: Sendable {
    let store: ImageStore

    /// The store of the kubelet whose root directory is `kubeletRoot` (`DATA-DIR/kubelet` under `skiff up`).
    public init(kubeletRoot: String) {
        store = ImageStore(kubeletRoot: kubeletRoot)
    }

    /// One image in the store.
    public struct Image: Sendable, Hashable {
        /// The fully qualified name (`docker.io/library/busybox:latest`).
        public var name: String
        /// The digest of its config, as `imageID`s name it.
        public var id: String
        /// The size of its config and layers as stored, in bytes.
        public var size: Int64
    }

    /// Every image the store has a name for, by name.
    public func images() -> [Image] {
        store.references().map { name, manifest in Image(name: name, id: manifest.configDigest, size: store.size(manifest)) }
    }

    /// Imports every image in the layout or archive at `path` and returns their names.
    /// `repository` names the images a layout knows only by tag (`org.opencontainers.image.ref.name: latest`).
    public func load(_ path: String, repository: String? = nil) async throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImageImportError("open \(path): no such file or directory")
        }
        var directory = path
        if !isDirectory.boolValue {
            directory = "\(store.root)/tmp/import-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let unpacked = try await HostCommand.run(["tar", "-xf", path, "-C", directory], check: false)
            guard unpacked.status == 0 else {
                try? FileManager.default.removeItem(atPath: directory)
                throw ImageImportError("\(path) is not a tar archive: \(unpacked.output.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
        }
        defer { if directory != path { try? FileManager.default.removeItem(atPath: directory) } }
        let reader = ImageLayoutReader(directory: directory, source: path, store: store)
        let images: [(ImageName, ImageManifest)]
        if FileManager.default.fileExists(atPath: "\(directory)/manifest.json") {
            images = try await reader.dockerSave()
        } else if FileManager.default.fileExists(atPath: "\(directory)/index.json") {
            images = try await reader.ociLayout(repository: repository)
        } else {
            throw ImageImportError("\(path) is neither an OCI image layout (index.json) nor a docker save archive (manifest.json)")
        }
        for (name, manifest) in images { try store.record(name, manifest) }
        return images.map(\.0.description)
    }
}

/// Why an import failed.
public struct ImageImportError: Error, CustomStringConvertible {
    /// What went wrong, for people.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
