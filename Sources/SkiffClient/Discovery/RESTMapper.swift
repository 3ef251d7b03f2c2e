import SkiffAPI
import Synchronization

/// Maps kinds to the resources that serve them, from discovery (client-go's deferred discovery
/// REST mapper): the first lookup in a group version reads its resource list, later ones are
/// answered from memory. `reset()` forgets everything (after CRDs change).
public final class RESTMapper: Sendable {
    /// Where a kind is served.
    public struct Mapping: Sendable, Hashable {
        public var resource: GroupVersionResource
        public var kind: GroupVersionKind
        public var namespaced: Bool
    }

    private let discovery: DiscoveryClient
    private let cache = Mutex<[GroupVersion: [String: Mapping]]>([:])

    public init(discovery: DiscoveryClient) {
        self.discovery = discovery
    }

    /// The resource of `kind`; `404 NotFound` when the server has no such kind.
    public func mapping(for kind: GroupVersionKind) async throws -> Mapping {
        let groupVersion = kind.groupVersion
        if let mapping = cache.withLock({ $0[groupVersion]?[kind.kind] }) { return mapping }
        var byKind: [String: Mapping] = [:]
        for resource in try await discovery.serverResources(for: groupVersion) where !resource.isSubresource {
            byKind[resource.kind] = Mapping(
                resource: GroupVersionResource(group: kind.group, version: kind.version, resource: resource.name),
                kind: GroupVersionKind(group: kind.group, version: kind.version, kind: resource.kind),
                namespaced: resource.namespaced)
        }
        cache.withLock { $0[groupVersion] = byKind }
        guard let mapping = byKind[kind.kind] else {
            throw APIError(code: 404, reason: .notFound, message: "no matches for kind \"\(kind.kind)\" in version \"\(groupVersion)\"")
        }
        return mapping
    }

    /// The resource of `kind` in the group's preferred version.
    public func mapping(for kind: GroupKind) async throws -> Mapping {
        guard let group = try await discovery.serverGroups().first(where: { $0.name == kind.group }) else {
            throw APIError(code: 404, reason: .notFound, message: "no matches for kind \"\(kind.kind)\" in group \"\(kind.group)\"")
        }
        return try await mapping(for: GroupVersionKind(group: kind.group, version: group.preferredVersion, kind: kind.kind))
    }

    /// Forgets what was discovered.
    public func reset() {
        cache.withLock { $0.removeAll() }
    }
}
