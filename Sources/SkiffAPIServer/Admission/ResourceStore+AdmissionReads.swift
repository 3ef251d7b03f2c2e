import SkiffAPI
import SkiffRegistry

/// The reads admission plugins make of other resources: the watch cache first, as upstream's
/// listers, and storage when the cache has nothing yet (upstream's live lookups), so an object
/// created a moment before is not missed.
extension ResourceStore {
    /// One object, or nil when it does not exist.
    func admissionLookup(namespace: String?, name: String) async -> JSONValue? {
        if let cached = cache.object(forKey: info.key(namespace: namespace, name: name)) { return cached.decoded }
        return try? await get(namespace: namespace, name: name)
    }

    /// The objects of a namespace (nil: of a cluster-scoped resource). The storage read (a paged
    /// list reads storage at once, without waiting for the cache to catch up) costs little where
    /// there is nothing to find.
    func admissionList(namespace: String?) async throws -> [JSONValue] {
        let cached = cache.snapshot(filter: WatchFilter(namespace: namespace)).objects
        if !cached.isEmpty { return cached.map(\.decoded) }
        return try await list(namespace: namespace, options: ListOptions(limit: 500)).items.map(\.decoded)
    }
}
