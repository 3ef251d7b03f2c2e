import Foundation
import SkiffAPI
import SkiffHostProcess
import Testing

@testable import SkiffKubelet

/// Bad layouts and archives are refused with a clear message, and nothing is recorded for them.
struct ImageImporterTests {
    private let root: String
    private let layout: String

    init() throws {
        root = try volumeScratchDirectory()
        layout = "\(root)/layout"
        try FileManager.default.createDirectory(atPath: "\(layout)/blobs/sha256", withIntermediateDirectories: true)
    }

    private static func sha256(_ text: String) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try await "sha256:" + HostCommand.run(["sha256sum", file]).output.prefix(64)
    }

    /// Writes `text` as a blob of the layout under `digest` (its own unless given) and returns the digest.
    @discardableResult
    private func blob(_ text: String, as claimed: String? = nil) async throws -> String {
        let computed = try await Self.sha256(text)
        let digest = claimed ?? computed
        try text.write(toFile: "\(layout)/blobs/sha256/\(digest.dropFirst(7))", atomically: true, encoding: .utf8)
        return digest
    }

    private func write(_ name: String, _ json: JSONValue) throws {
        try Data(json.serialized()).write(to: URL(fileURLWithPath: "\(layout)/\(name)"))
    }

    private func layoutNaming(config: String) async throws {
        let manifest = try await blob(String(decoding: (["config": ["digest": .string(config)], "layers": []] as JSONValue).serialized(), as: UTF8.self))
        try write("index.json", ["manifests": [["digest": .string(manifest), "annotations": ["org.opencontainers.image.ref.name": "r.test/app:v1"]]]])
    }

    private func refusal(repository: String? = nil) async -> String? {
        let importer = ImageImporter(kubeletRoot: "\(root)/kubelet")
        do {
            _ = try await importer.load(layout, repository: repository)
            return nil
        } catch {
            #expect(importer.images().isEmpty)
            return (error as? ImageImportError)?.description
        }
    }

    @Test func aBlobThatDoesNotHashToItsDigestIsRefused() async throws {
        let claimed = try await Self.sha256("the real config")
        try await blob("{\"architecture\": \"amd64\", \"os\": \"linux\"}", as: claimed)
        try await layoutNaming(config: claimed)
        let message = try #require(await refusal())
        #expect(message.hasPrefix("\(layout): blob \(claimed) has the digest sha256:"))
    }

    @Test func anImageForAnotherArchitectureIsRefused() async throws {
        let other = NodeConfiguration.architecture == "amd64" ? "arm64" : "amd64"
        let config = try await blob("{\"architecture\": \"\(other)\", \"os\": \"linux\"}")
        try await layoutNaming(config: config)
        #expect(await refusal() == "r.test/app:v1 is for linux/\(other); this node runs linux/\(NodeConfiguration.architecture)")
    }

    @Test func anArchiveNamingFilesOutsideItselfIsRefused() async throws {
        try write("manifest.json", [["Config": "../../etc/passwd", "RepoTags": ["r.test/app:v1"], "Layers": []]])
        #expect(await refusal() == "\(layout): ../../etc/passwd is missing")
    }

    @Test func aLayoutWithoutIndexOrManifestIsNeitherFormat() async throws {
        #expect(await refusal() == "\(layout) is neither an OCI image layout (index.json) nor a docker save archive (manifest.json)")
    }
}
