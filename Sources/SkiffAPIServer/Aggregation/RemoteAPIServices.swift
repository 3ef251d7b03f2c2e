import SkiffAPI
import SkiffRegistry
import Synchronization

/// The APIServices the aggregator looked up, each decoded once per version of the object: every
/// request to a non-core group asks whether an extension server serves it (the group versions of
/// CRDs and built-in groups have local APIServices, which never proxy), and decoding the stored
/// object again on each request cost a parse per request.
final class RemoteAPIServices: Sendable {
    private struct Entry {
        /// The watch cache's object the answer was decoded from: a write replaces it.
        var source: CachedObject
        /// The APIService when it names a `service`; nil for a local one.
        var remote: JSONValue?
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// The APIService `object` (the watch cache's object under `key`, nil when there is none)
    /// when it names a service; nil otherwise.
    func apiService(key: String, object: CachedObject?) -> JSONValue? {
        guard let object else {
            entries.withLock { _ = $0.removeValue(forKey: key) }
            return nil
        }
        if let entry = entries.withLock({ $0[key] }), entry.source === object { return entry.remote }
        let decoded = object.decoded
        // Not a `?:`: its `nil` would be typed JSONValue (JSON null, nil-literal expressible), not "local".
        let remote: JSONValue? = if decoded[path: "spec", "service"]?.objectValue != nil { decoded } else { nil }
        entries.withLock { $0[key] = Entry(source: object, remote: remote) }
        return remote
    }
}
