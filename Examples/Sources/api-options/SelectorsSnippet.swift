import ArgumentParser
import ExampleSupport
import SkiffAPI
import SkiffClient

/// Label selectors, equality-based (`tier=front`, `tier!=front`) and set-based (`tier in (a,b)`,
/// `!legacy`), and field selectors (`metadata.name=NAME`).
struct SelectorsSnippet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "selectors", abstract: "Label and field selectors.")

    @OptionGroup var options: SnippetOptions

    func run() async throws {
        try await options.withConfigMaps { configMaps, namespace in
            let objects: [(String, [String: String])] = [
                ("snippet-sel-front", ["tier": "front"]), ("snippet-sel-back", ["tier": "back"]),
                ("snippet-sel-cache", ["tier": "cache", "legacy": "true"]),
            ]
            for (name, labels) in objects {
                _ = try await configMaps.create(Snippets.configMap(name, namespace: namespace, labels: labels.merging(["snippet": "selectors"]) { $1 }))
            }
            for selector in ["tier=front", "tier!=front", "tier in (front,back)", "tier notin (front)", "legacy", "!legacy"] {
                let list = try await configMaps.list(ListOptions(labelSelector: "snippet=selectors,\(selector)"))
                print("labelSelector \(selector): \(Snippets.names(list.items))")
            }
            let byName = try await configMaps.list(ListOptions(fieldSelector: "metadata.name=snippet-sel-back"))
            print("fieldSelector metadata.name=snippet-sel-back: \(Snippets.names(byName.items))")
            try await Snippets.cleanUp(configMaps, snippet: "selectors")
        }
    }
}
