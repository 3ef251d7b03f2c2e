import SkiffAPI
import SkiffClient
import SkiffModels

/// Helpers the snippets share.
enum Snippets {
    /// A ConfigMap named `name` with `labels` and one data entry.
    static func configMap(_ name: String, namespace: String, labels: [String: String]? = nil, value: String = "1") -> CoreV1.ConfigMap {
        CoreV1.ConfigMap(data: ["value": value], metadata: ObjectMeta(name: name, namespace: namespace, labels: labels))
    }

    /// Deletes the snippet's ConfigMaps (labelled `snippet=NAME`), ignoring those already gone.
    static func cleanUp(_ configMaps: ResourceClient<CoreV1.ConfigMap>, snippet: String) async throws {
        try await configMaps.deleteCollection(listOptions: ListOptions(labelSelector: "snippet=\(snippet)"))
    }

    /// Names of `list`'s items, for printing.
    static func names(_ items: [CoreV1.ConfigMap]) -> String {
        items.compactMap { $0.metadata?.name }.sorted().joined(separator: ", ")
    }

    /// Polls `condition` every 200 ms for up to `seconds`; whether it came true.
    static func eventually(seconds: Int = 30, _ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<(seconds * 5) {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }
}
