import ArgumentParser
import ExampleSupport
import SkiffAPI
import SkiffClient

/// Get and List by resourceVersion: unset reads the latest state (a quorum read), "0" accepts any
/// state the server has (its cache), an exact version with `resourceVersionMatch=Exact` reads the
/// state at that version: a list from the past.
struct ResourceVersionSnippet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resource-version", abstract: "resourceVersion \"\", \"0\" and Exact.")

    @OptionGroup var options: SnippetOptions

    func run() async throws {
        try await options.withConfigMaps { configMaps, namespace in
            let labels = ["snippet": "resource-version"]
            _ = try await configMaps.create(Snippets.configMap("snippet-rv-a", namespace: namespace, labels: labels))
            let before = try await configMaps.list(ListOptions(labelSelector: "snippet=resource-version"))
            print("list at resourceVersion \(before.resourceVersion): \(Snippets.names(before.items))")
            _ = try await configMaps.create(Snippets.configMap("snippet-rv-b", namespace: namespace, labels: labels))

            let latest = try await configMaps.list(ListOptions(labelSelector: "snippet=resource-version"))
            print("resourceVersion unset (latest): \(Snippets.names(latest.items))")
            let any = try await configMaps.list(ListOptions(labelSelector: "snippet=resource-version", resourceVersion: "0"))
            print("resourceVersion=0 (any, from the cache): \(Snippets.names(any.items))")
            let exact = try await configMaps.list(
                ListOptions(labelSelector: "snippet=resource-version", resourceVersion: before.resourceVersion, resourceVersionMatch: .exact))
            print("resourceVersion=\(before.resourceVersion) resourceVersionMatch=Exact: \(Snippets.names(exact.items))")
            let one = try await configMaps.get("snippet-rv-a", options: GetOptions(resourceVersion: "0"))
            print("get resourceVersion=0: snippet-rv-a at \(one.metadata?.resourceVersion ?? "")")
            try await Snippets.cleanUp(configMaps, snippet: "resource-version")
        }
    }
}
