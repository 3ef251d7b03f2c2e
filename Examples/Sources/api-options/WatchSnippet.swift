import ArgumentParser
import ExampleSupport
import SkiffAPI
import SkiffClient
import SkiffModels

/// Watch from a list's resourceVersion, so no change between the list and the watch is missed,
/// with bookmarks (progress without a change). A watch from a version the server no longer has
/// (compacted) fails with `410 Gone`/`Expired`, at once or as an ERROR event: list again and watch
/// from the new list (`--from 1` on a compacted server shows it).
struct WatchSnippet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "watch", abstract: "Watch from a list, bookmarks, 410.")

    @OptionGroup var options: SnippetOptions

    @Option(help: "Watch from this resourceVersion instead of the list's.")
    var from: String?

    func run() async throws {
        let from = self.from
        try await options.withConfigMaps { configMaps, namespace in
            let list = try await configMaps.list(ListOptions(labelSelector: "snippet=watch"))
            var resourceVersion = from ?? list.resourceVersion
            print("listed \(list.items.count) objects at resourceVersion \(list.resourceVersion)")
            while true {
                do {
                    try await Self.watch(configMaps, from: resourceVersion, namespace: namespace)
                    return
                } catch let error as APIError where error.isGoneOrExpired {
                    print("watch from \(resourceVersion): \(error.code) \(error.reason.rawValue): list again")
                    resourceVersion = try await configMaps.list(ListOptions(labelSelector: "snippet=watch")).resourceVersion
                }
            }
        }
    }

    /// Watches from `resourceVersion` while one ConfigMap is created, changed and deleted; returns
    /// after its deletion.
    static func watch(_ configMaps: ResourceClient<CoreV1.ConfigMap>, from resourceVersion: String, namespace: String) async throws {
        let events = try await configMaps.watch(
            ListOptions(labelSelector: "snippet=watch", resourceVersion: resourceVersion, timeoutSeconds: 60, allowWatchBookmarks: true))
        print("watching from resourceVersion \(resourceVersion)")
        let writer = Task {
            _ = try await configMaps.create(Snippets.configMap("snippet-watched", namespace: namespace, labels: ["snippet": "watch"]))
            var changed = try await configMaps.get("snippet-watched")
            changed.data = ["value": "2"]
            _ = try await configMaps.update(changed)
            try await configMaps.delete("snippet-watched")
        }
        defer { writer.cancel() }
        for try await event in events {
            switch event {
            case .added(let object), .modified(let object), .deleted(let object):
                print("\(event.type.rawValue) \(object.metadata?.name ?? "") value=\(object.data?["value"] ?? "") resourceVersion=\(object.metadata?.resourceVersion ?? "")")
                if case .deleted = event { return }
            case .bookmark(let version, _):
                print("BOOKMARK resourceVersion=\(version)")
            case .error(let error):
                throw error
            }
        }
    }
}
