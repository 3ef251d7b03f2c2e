import SkiffAPI
import SkiffRegistry

extension Registry {
    /// A core (`v1`) object by name, from its watch cache (storage when the cache has not seen
    /// it); nil when it does not exist or the resource is not served.
    func coreObject(_ resource: String, namespace: String?, name: String) async -> JSONValue? {
        guard let store = store(for: GroupResource(group: "", resource: resource)) else { return nil }
        return await store.admissionLookup(namespace: namespace, name: name)
    }
}
