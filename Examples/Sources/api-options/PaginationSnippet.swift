import ArgumentParser
import ExampleSupport
import SkiffAPI
import SkiffClient

/// List in pages: `limit` caps a page, the list's `continue` token asks for the next one; every
/// page is read at the first page's resourceVersion (a consistent snapshot).
struct PaginationSnippet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pagination", abstract: "limit and continue.")

    @OptionGroup var options: SnippetOptions

    func run() async throws {
        try await options.withConfigMaps { configMaps, namespace in
            for index in 1...5 {
                _ = try await configMaps.create(Snippets.configMap("snippet-page-\(index)", namespace: namespace, labels: ["snippet": "pagination"]))
            }
            var page = try await configMaps.list(ListOptions(labelSelector: "snippet=pagination", limit: 2))
            var number = 1
            print("page \(number): \(Snippets.names(page.items)) (resourceVersion \(page.resourceVersion))")
            while let token = page.continueToken {
                page = try await configMaps.list(ListOptions(labelSelector: "snippet=pagination", limit: 2, continue: token))
                number += 1
                print("page \(number): \(Snippets.names(page.items))")
            }
            try await Snippets.cleanUp(configMaps, snippet: "pagination")
        }
    }
}
