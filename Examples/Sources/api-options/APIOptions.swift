import ArgumentParser
import ExampleSupport
import SkiffClient
import SkiffModels

/// The quick start's API options, one runnable snippet each: resourceVersion semantics,
/// pagination, selectors, watch, conflicts, patches and delete options. Every snippet works on
/// ConfigMaps named `snippet-*` in one namespace and removes them when done.
@main
struct APIOptions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-options", abstract: "Runnable snippets of the API's options.",
        subcommands: [
            ResourceVersionSnippet.self, PaginationSnippet.self, SelectorsSnippet.self, WatchSnippet.self,
            ConflictSnippet.self, PatchSnippet.self, DeleteSnippet.self,
        ])
}

/// The flags every snippet takes.
struct SnippetOptions: ParsableArguments {
    @OptionGroup var client: ClientOptions

    @Option(help: "The namespace the snippet works in.")
    var namespace = "default"

    /// Runs `body` with the ConfigMaps of the namespace, and the namespace's name.
    func withConfigMaps(_ body: (ResourceClient<CoreV1.ConfigMap>, String) async throws -> Void) async throws {
        try await withClient(try client.configuration()) { client in
            try await body(client.core.v1.configMaps(namespace), namespace)
        }
    }
}
