import ArgumentParser
import ExampleSupport
import SkiffAPI
import SkiffClient

/// Optimistic concurrency: an update carries the resourceVersion it read; when someone else wrote
/// in between, the server answers `409 Conflict`. `retryOnConflict` reads again and retries.
struct ConflictSnippet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "conflict", abstract: "409 Conflict on a stale update, and a retry.")

    @OptionGroup var options: SnippetOptions

    func run() async throws {
        try await options.withConfigMaps { configMaps, namespace in
            _ = try await configMaps.create(Snippets.configMap("snippet-conflict", namespace: namespace, labels: ["snippet": "conflict"]))
            var mine = try await configMaps.get("snippet-conflict")
            var theirs = mine
            theirs.data = ["value": "theirs"]
            _ = try await configMaps.update(theirs)
            mine.data = ["value": "mine"]
            do {
                _ = try await configMaps.update(mine)
            } catch let error as APIError where error.isConflict {
                print("stale update: \(error.code) \(error.reason.rawValue): \(error.message)")
            }
            let updated = try await retryOnConflict {
                var latest = try await configMaps.get("snippet-conflict")
                latest.data = ["value": "mine"]
                return try await configMaps.update(latest)
            }
            print("retried update: value=\(updated.data?["value"] ?? "") resourceVersion=\(updated.metadata?.resourceVersion ?? "")")
            try await Snippets.cleanUp(configMaps, snippet: "conflict")
        }
    }
}
