import Logging
import SkiffAPI
import SkiffRegistry

/// Fills the `rules` of every cluster role with an `aggregationRule` from the cluster roles its
/// selectors match (upstream's clusterrole-aggregation controller): their rules in role-name
/// order, each once. Runs on every change of a cluster role, from the registry's watch cache.
struct ClusterRoleAggregator: Sendable {
    let registry: Registry
    let logger: Logger

    /// Aggregates until cancelled.
    func run() async {
        guard (try? await registry.waitUntilReady()) != nil,
            let store = registry.store(for: GroupResource(group: BootstrapPolicy.group, resource: "clusterroles"))
        else { return }
        while !Task.isCancelled {
            guard let subscription = try? await store.cache.watch(filter: WatchFilter(), fromRevision: nil, bookmarks: false) else { return }
            await aggregate(store)
            // A stream that ends (a slow watcher, a cache reset) is opened again.
            for await _ in subscription.events { await aggregate(store) }
        }
    }

    /// One pass over every aggregated role.
    func aggregate(_ store: ResourceStore) async {
        let roles = store.cache.snapshot(filter: WatchFilter()).objects.map(\.decoded)
        for role in roles {
            guard let rules = Self.aggregatedRules(of: role, among: roles), rules != PolicyRule.rules(of: role) else { continue }
            let name = role.name ?? ""
            do {
                _ = try await store.guaranteedUpdate(namespace: nil, name: name, precondition: role.resourceVersion, options: WriteOptions()) { current in
                    var updated = current
                    updated["rules"] = .array(rules.map(\.json))
                    return updated
                }
            } catch {
                // A conflict means a newer version is on its way as an event; anything else is logged.
                if (error as? APIError)?.reason != .conflict {
                    logger.warning("cannot aggregate cluster role", metadata: ["name": "\(name)", "error": "\(error)"])
                }
            }
        }
    }

    /// The rules `role` aggregates from `roles`; nil when it has no aggregation rule.
    static func aggregatedRules(of role: JSONValue, among roles: [JSONValue]) -> [PolicyRule]? {
        guard let selectors = role[path: "aggregationRule", "clusterRoleSelectors"]?.arrayValue else { return nil }
        let parsed = selectors.compactMap { try? LabelSelector(selector: $0, fieldPath: "aggregationRule.clusterRoleSelectors") }
        var rules: [PolicyRule] = []
        for other in roles.sorted(by: { ($0.name ?? "") < ($1.name ?? "") }) where other.name != role.name {
            guard parsed.contains(where: { $0.matches(other.labels) }) else { continue }
            for rule in PolicyRule.rules(of: other) where !rules.contains(rule) { rules.append(rule) }
        }
        return rules
    }
}
