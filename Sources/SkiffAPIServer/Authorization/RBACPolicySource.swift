import SkiffAPI
import SkiffRegistry
import Synchronization

/// The RBAC policy as the registry's watch caches hold it: read from memory, never from storage,
/// and decoded again only when a role or binding has changed (each cache's object count and
/// latest revision tell).
public final class RBACPolicySource: Sendable {
    static let group = "rbac.authorization.k8s.io"
    /// The four caches, in the order `RBACPolicy.init` takes them.
    private let stores: [ResourceStore]
    private let state = Mutex<(fingerprint: [Fingerprint], policy: RBACPolicy)>(([], RBACPolicy()))

    private struct Fingerprint: Equatable {
        var count: Int
        var latest: Int64
    }

    /// The policy of `registry`'s RBAC resources; empty when they are not registered.
    public init(registry: Registry) {
        stores = ["clusterroles", "roles", "clusterrolebindings", "rolebindings"].compactMap {
            registry.store(for: GroupResource(group: Self.group, resource: $0))
        }
    }

    /// The current policy.
    public var policy: RBACPolicy {
        guard stores.count == 4 else { return RBACPolicy() }
        let snapshots = stores.map { $0.cache.snapshot(filter: WatchFilter()).objects }
        let fingerprint = snapshots.map { Fingerprint(count: $0.count, latest: $0.map(\.revision).max() ?? 0) }
        if let cached = state.withLock({ $0.fingerprint == fingerprint ? $0.policy : nil }) { return cached }
        let objects = snapshots.map { $0.map(\.decoded) }
        let policy = RBACPolicy(clusterRoles: objects[0], roles: objects[1], clusterRoleBindings: objects[2], roleBindings: objects[3])
        state.withLock { $0 = (fingerprint, policy) }
        return policy
    }
}
