import Synchronization
import SkiffAPI

/// The discovery documents (`APIResourceList`) of the group versions extension servers serve,
/// as the APIService availability checks last fetched them, by APIService name. Discovery
/// merges them into `/apis`, `/apis/<group>` and the aggregated document, where one whose last
/// check failed is `Stale` (as upstream's discovery manager marks a failed fetch).
final class ExtensionDiscovery: Sendable {
    /// One extension group version and the resources its server lists.
    struct GroupVersion: Sendable, Equatable {
        var group: String
        var version: String
        /// The `resources` of its `APIResourceList`.
        var resources: [JSONValue]
        /// Whether the last check of its server failed.
        var stale = false
    }

    private let documents = Mutex<[String: GroupVersion]>([:])

    /// Keeps `resourceList` (an `APIResourceList`) as what the APIService `name` serves.
    func record(apiService name: String, group: String, version: String, resourceList: JSONValue) {
        let entry = GroupVersion(group: group, version: version, resources: resourceList["resources"]?.arrayValue ?? [])
        documents.withLock { $0[name] = entry }
    }

    /// Marks the document of the APIService `name` stale (its server failed a check), if there is one.
    func markStale(apiService name: String) {
        documents.withLock { $0[name]?.stale = true }
    }

    /// Forgets the documents of APIServices not in `names` (deleted, or no longer served by a service).
    func retain(apiServices names: Set<String>) {
        documents.withLock { $0 = $0.filter { names.contains($0.key) } }
    }

    /// Forgets the document of the APIService `name` (deleted).
    func forget(apiService name: String) {
        documents.withLock { $0[name] = nil }
    }

    /// Every recorded group version, in APIService name order.
    var groupVersions: [GroupVersion] {
        documents.withLock { $0.sorted { $0.key < $1.key }.map(\.value) }
    }
}
