import SkiffAPI
import SkiffRegistry
import Synchronization

/// The RBAC policy as the registry's watch caches hold it, read from memory, never from storage,
/// and kept current from the caches' event history: a request applies the few events since the
/// last one (usually none) to the index, and reads a whole snapshot only at the start or when
/// the cache can no longer tell what changed (it relisted).
public final class RBACPolicySource: Sendable {
    static let group = "rbac.authorization.k8s.io"
    /// The four caches, in `RBACPolicy.Resource` order.
    private let stores: [ResourceStore]
    private let state = Mutex(State())

    private struct State {
        var policy = RBACPolicy()
        /// The revision of each cache the policy reflects; nil before the first snapshot.
        var revisions: [Int64?] = Array(repeating: nil, count: RBACPolicy.Resource.allCases.count)
    }

    /// The policy of `registry`'s RBAC resources; empty when they are not registered.
    public init(registry: Registry) {
        stores = RBACPolicy.Resource.allCases.compactMap {
            registry.store(for: GroupResource(group: Self.group, resource: $0.name))
        }
    }

    /// The current policy.
    public var policy: RBACPolicy {
        guard stores.count == RBACPolicy.Resource.allCases.count else { return RBACPolicy() }
        return state.withLock { state in
            for resource in RBACPolicy.Resource.allCases {
                let cache = stores[resource.rawValue].cache
                if let revision = state.revisions[resource.rawValue], let (events, latest) = cache.changes(after: revision) {
                    for event in events { state.policy.apply(event, in: resource) }
                    state.revisions[resource.rawValue] = latest
                } else {
                    let snapshot = cache.snapshot(filter: WatchFilter())
                    state.policy.reset(resource, to: snapshot.objects.map(\.decoded))
                    state.revisions[resource.rawValue] = snapshot.revision
                }
            }
            return state.policy
        }
    }
}

extension RBACPolicy {
    /// Applies one watch cache event of `resource`.
    mutating func apply(_ event: WatchCacheEvent, in resource: Resource) {
        guard let object = event.object?.decoded else { return }
        switch event.kind {
        case .added, .modified: put(object, in: resource)
        case .deleted: delete(object, in: resource)
        case .bookmark: return
        }
    }
}
