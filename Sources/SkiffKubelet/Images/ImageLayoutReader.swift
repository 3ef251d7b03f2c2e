import Foundation
import SkiffAPI

/// Reads the images of an unpacked `docker save` archive or an OCI image layout, storing their
/// blobs (checked against their digests) in `store`.
struct ImageLayoutReader {
    static let refNameAnnotation = "org.opencontainers.image.ref.name"
    static let containerdNameAnnotation = "io.containerd.image.name"

    let directory: String
    /// The file or directory named on the command line, for messages.
    let source: String
    let store: ImageStore

    /// A `docker save` archive: `manifest.json` lists each image's config file, layer files and
    /// `RepoTags`; a file's digest is its SHA-256.
    func dockerSave() async throws -> [(ImageName, ImageManifest)] {
        let entries = try json("manifest.json").arrayValue ?? []
        var images: [(ImageName, ImageManifest)] = []
        for entry in entries {
            let tags = entry["RepoTags"]?.arrayValue?.compactMap(\.stringValue) ?? []
            guard let config = entry["Config"]?.stringValue, !tags.isEmpty else { continue }
            let configDigest = try await store.importBlob(at: try file(config))
            try checkPlatform(configDigest, image: tags[0])
            var layers: [String] = []
            for layer in entry["Layers"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                layers.append(try await store.importBlob(at: try file(layer)))
            }
            let manifest = ImageManifest(configDigest: configDigest, layerDigests: layers)
            images += tags.map { (ImageName($0), manifest) }
        }
        guard !images.isEmpty else { throw ImageImportError("\(source): manifest.json names no tagged image") }
        return images
    }

    /// An OCI image layout: `index.json` lists manifests (or indexes, of which this node's
    /// platform is taken), named by the `io.containerd.image.name` annotation or by
    /// `org.opencontainers.image.ref.name`, a full reference or a tag of `repository`.
    func ociLayout(repository: String?) async throws -> [(ImageName, ImageManifest)] {
        var images: [(ImageName, ImageManifest)] = []
        for descriptor in try json("index.json")["manifests"]?.arrayValue ?? [] {
            let annotations = descriptor["annotations"]
            guard let reference = annotations?[Self.containerdNameAnnotation]?.stringValue ?? annotations?[Self.refNameAnnotation]?.stringValue
            else { continue }
            let name: ImageName
            if reference.contains("/") || reference.contains("@") {
                name = ImageName(reference)
            } else if let repository {
                name = ImageName("\(repository):\(reference)")
            } else {
                throw ImageImportError("\(source) names its image only by the tag \"\(reference)\": give the repository with --name")
            }
            images.append((name, try await manifest(descriptor, image: name.description)))
        }
        guard !images.isEmpty else { throw ImageImportError("\(source): index.json names no image") }
        return images
    }

    /// The image a descriptor points to, following an index to this node's platform.
    private func manifest(_ descriptor: JSONValue, image: String) async throws -> ImageManifest {
        guard let digest = descriptor["digest"]?.stringValue else { throw ImageImportError("\(source): a descriptor of \(image) has no digest") }
        let document = try blobJSON(digest)
        if let entries = document["manifests"]?.arrayValue {
            guard let entry = entries.first(where: ImageManifest.isForThisNode) else {
                throw ImageImportError("\(image) in \(source) has no image for linux/\(NodeConfiguration.architecture)")
            }
            return try await manifest(entry, image: image)
        }
        guard let config = document[path: "config", "digest"]?.stringValue else {
            throw ImageImportError("\(source): the manifest \(digest) of \(image) has no config")
        }
        let layers = (document["layers"]?.arrayValue ?? []).compactMap { $0["digest"]?.stringValue }
        for blob in [config] + layers { try await importLayoutBlob(blob) }
        try checkPlatform(config, image: image)
        return ImageManifest(configDigest: config, layerDigests: layers)
    }

    private func importLayoutBlob(_ digest: String) async throws {
        let stored = try await store.importBlob(at: try layoutBlobPath(digest), expected: digest)
        guard stored == digest else { throw ImageImportError("\(source): blob \(digest) has the digest \(stored)") }
    }

    /// Refuses an image whose config names another OS or architecture than this node's.
    private func checkPlatform(_ configDigest: String, image: String) throws {
        if let platform = store.foreignPlatform(configDigest) {
            throw ImageImportError("\(image) is for \(platform); this node runs linux/\(NodeConfiguration.architecture)")
        }
    }

    private func layoutBlobPath(_ digest: String) throws -> String {
        let parts = digest.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, parts[0] == "sha256", !parts[1].contains("/") else {
            throw ImageImportError("\(source): unsupported digest \(digest)")
        }
        return try file("blobs/sha256/\(parts[1])")
    }

    private func blobJSON(_ digest: String) throws -> JSONValue {
        try parse(layoutBlobPath(digest))
    }

    private func json(_ name: String) throws -> JSONValue {
        try parse(file(name))
    }

    private func parse(_ path: String) throws -> JSONValue {
        do {
            return try JSONValue(parsing: Array(FileManager.default.contents(atPath: path) ?? Data()))
        } catch {
            throw ImageImportError("\(source): \(path.dropFirst(directory.count + 1)) is not valid JSON: \(error)")
        }
    }

    /// The path of a file the layout names, which must stay inside it.
    private func file(_ relative: String) throws -> String {
        let path = "\(directory)/\(relative)"
        guard !relative.split(separator: "/").contains(".."), !relative.hasPrefix("/"), FileManager.default.fileExists(atPath: path) else {
            throw ImageImportError("\(source): \(relative) is missing")
        }
        return path
    }
}
