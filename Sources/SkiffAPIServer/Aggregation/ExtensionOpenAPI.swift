import SkiffAPI
import SkiffSchemas
import Synchronization

/// The OpenAPI documents of the group versions extension servers serve, as
/// `ExtensionOpenAPIController` last fetched them, by APIService name. `/openapi/v2` merges the
/// Swagger documents into the server's own in upstream's order (`SwaggerMerge`), and
/// `/openapi/v3` lists and serves the v3 documents beside the server's own. A document stays
/// until its APIService is deleted, as upstream keeps the last successful download.
final class ExtensionOpenAPI: Sendable {
    /// What one APIService's extension server publishes.
    struct Published: Sendable {
        var group: String
        var version: String
        var groupPriorityMinimum: Int64
        var versionPriority: Int64
        /// Its Swagger document, cut down to the paths under `/apis/<group>/<version>/`; nil when it
        /// has none.
        var swagger: JSONValue?
        /// Its v3 document of `apis/<group>/<version>`; nil when it has none.
        var v3: OpenAPIDocumentBuilder.Document?

        /// Whether the two publish the same documents.
        func same(as other: Published) -> Bool {
            (group, version, groupPriorityMinimum, versionPriority, v3?.hash) ==
                (other.group, other.version, other.groupPriorityMinimum, other.versionPriority, other.v3?.hash) && swagger == other.swagger
        }
    }

    private let state = Mutex<(generation: Int, published: [String: Published])>((0, [:]))

    /// Moves whenever what is published changes, so the documents built from it are rebuilt.
    var generation: Int { state.withLock { $0.generation } }

    /// Keeps what the APIService `name` publishes.
    func record(apiService name: String, _ published: Published) {
        state.withLock { state in
            if let old = state.published[name], old.same(as: published) { return }
            state.published[name] = published
            state.generation += 1
        }
    }

    /// What the APIService `name` publishes, as last recorded.
    func published(apiService name: String) -> Published? {
        state.withLock { $0.published[name] }
    }

    /// Forgets what the APIServices not in `names` published.
    func retain(apiServices names: Set<String>) {
        state.withLock { state in
            let kept = state.published.filter { names.contains($0.key) }
            guard kept.count != state.published.count else { return }
            state.published = kept
            state.generation += 1
        }
    }

    /// Forgets what the APIService `name` published (deleted, or no longer served by a service).
    func forget(apiService name: String) {
        state.withLock { state in
            guard state.published.removeValue(forKey: name) != nil else { return }
            state.generation += 1
        }
    }

    /// The Swagger documents in upstream's merge order: by their group's priority (the highest
    /// `groupPriorityMinimum` of its APIServices), highest first; in a group by version
    /// priority, highest first; then by APIService name.
    var swaggerDocuments: [JSONValue] {
        let published = state.withLock { $0.published }
        var groupPriorities: [String: Int64] = [:]
        for entry in published.values { groupPriorities[entry.group] = max(groupPriorities[entry.group] ?? .min, entry.groupPriorityMinimum) }
        return published.sorted { first, second in
            let (a, b) = (first.value, second.value)
            let priorities = a.group == b.group ? (a.versionPriority, b.versionPriority)
                : (groupPriorities[a.group] ?? 0, groupPriorities[b.group] ?? 0)
            return priorities.0 != priorities.1 ? priorities.0 > priorities.1 : first.key < second.key
        }.compactMap(\.value.swagger)
    }

    /// The v3 documents, by path (`apis/<group>/<version>`).
    var v3Documents: [String: OpenAPIDocumentBuilder.Document] {
        var documents: [String: OpenAPIDocumentBuilder.Document] = [:]
        for entry in state.withLock({ Array($0.published.values) }) {
            if let v3 = entry.v3 { documents["apis/\(entry.group)/\(entry.version)"] = v3 }
        }
        return documents
    }
}
