import ArgumentParser
import ExampleSupport
import SkiffAPI
import SkiffClient
import SkiffModels

/// The four patch types: JSON patch (RFC 6902 operations), JSON merge patch (RFC 7386),
/// strategic merge patch (merges lists by key, built-in kinds only) and server-side apply
/// (field ownership by manager).
struct PatchSnippet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "patch", abstract: "JSON, merge, strategic merge and apply patches.")

    @OptionGroup var options: SnippetOptions

    func run() async throws {
        try await options.withConfigMaps { configMaps, namespace in
            _ = try await configMaps.create(Snippets.configMap("snippet-patch", namespace: namespace, labels: ["snippet": "patch"]))

            let json = try await configMaps.patch(
                "snippet-patch", type: .json, patch: [["op": "add", "path": "/data/json", "value": "added"]])
            print("json patch: \(Self.describe(json))")
            let merge = try await configMaps.patch("snippet-patch", type: .merge, patch: ["data": ["merge": "merged", "json": nil]])
            print("merge patch: \(Self.describe(merge))")
            let strategic = try await configMaps.patch("snippet-patch", type: .strategicMerge, patch: ["metadata": ["labels": ["patched": "strategic"]]])
            print("strategic merge patch: labels \(strategic.metadata?.labels?.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") ?? "")")
            let applied = try await configMaps.apply(
                CoreV1.ConfigMap(data: ["applied": "yes"], metadata: ObjectMeta(name: "snippet-patch", namespace: namespace)),
                fieldManager: "api-options")
            print("apply: \(Self.describe(applied)); managers \(applied.metadata?.managedFields?.compactMap(\.manager).joined(separator: ",") ?? "")")
            try await Snippets.cleanUp(configMaps, snippet: "patch")
        }
    }

    static func describe(_ configMap: CoreV1.ConfigMap) -> String {
        (configMap.data ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}
