import SkiffAPI
import SkiffClient
import SkiffComponentHelpers

/// Object counts (`count/<resource>.<group>`) of resources no typed source watches (ingresses,
/// custom resources): found through discovery and listed with the dynamic client when a quota
/// limits them, so they are recounted on the controller's period (admission charges creates in
/// between) rather than on every change.
struct DiscoveredCounts: Sendable {
    let client: KubernetesClient
    /// The resources the typed sources count.
    let watched: Set<GroupResource>

    /// The counts among `names` that no typed source gives; a resource the server does not serve is left out.
    func counts(for names: Set<String>, namespace: String, quota: JSONValue) async throws -> ResourceAmounts {
        let wanted = names.sorted().compactMap { name -> (String, GroupResource)? in
            guard name.hasPrefix("count/") else { return nil }
            let parts = name.dropFirst("count/".count).split(separator: ".", maxSplits: 1)
            guard let first = parts.first else { return nil }
            let resource = GroupResource(group: parts.count > 1 ? String(parts[1]) : "", resource: String(first))
            return watched.contains(resource) ? nil : (name, resource)
        }
        guard !wanted.isEmpty else { return ResourceAmounts() }
        let served = try await client.discovery.preferredResources().resources
        var counts = ResourceAmounts()
        for (name, resource) in wanted {
            guard let found = served.first(where: { $0.namespaced && $0.resource.groupResource == resource }) else { continue }
            let items = try await client.dynamic.resource(found.resource).namespace(namespace).listAll().items
            let selected = items.filter { QuotaScopes.select($0, resource: resource, quota: quota) }
            counts[name] = ResourceQuantity(.int(Int64(selected.count)))
        }
        return counts
    }
}
