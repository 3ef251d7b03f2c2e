import Logging
import SkiffAPI
import SkiffRegistry

/// Brings the stored policy up to the bootstrap policy at every start (upstream's
/// `reconcile-cluster-roles`): a missing role or binding is created; an existing one whose
/// `rbac.authorization.kubernetes.io/autoupdate` annotation is not `false` gets the rules,
/// aggregation selectors, labels, annotations and subjects it lacks (nothing is taken away). It
/// returns once the watch caches hold its writes, so the authorizer sees the policy as soon as the
/// server is ready.
struct BootstrapPolicyReconciler: Sendable {
    let registry: Registry
    let logger: Logger

    func run() async throws {
        guard let roles = registry.store(for: GroupResource(group: BootstrapPolicy.group, resource: "clusterroles")),
            let bindings = registry.store(for: GroupResource(group: BootstrapPolicy.group, resource: "clusterrolebindings"))
        else { return }
        var rolesWritten: Int64 = 0
        for role in BootstrapPolicy.clusterRoleObjects {
            rolesWritten = max(rolesWritten, try await reconcile(role, in: roles, completing: Self.completeRole))
        }
        var bindingsWritten: Int64 = 0
        for binding in BootstrapPolicy.clusterRoleBindingObjects {
            bindingsWritten = max(bindingsWritten, try await reconcile(binding, in: bindings, completing: Self.completeBinding))
        }
        // Each cache waits for its own last write, an event it sees without progress notifications.
        for (store, revision) in [(roles, rolesWritten), (bindings, bindingsWritten)] where revision > 0 {
            do {
                try await store.cache.waitUntilFresh(revision)
            } catch {
                logger.warning("the bootstrap policy is not yet in the watch cache", metadata: ["resource": "\(store.info.plural)", "error": "\(error)"])
            }
        }
    }

    /// Creates or completes one object; the revision written, 0 when nothing was.
    private func reconcile(_ expected: JSONValue, in store: ResourceStore,
                           completing complete: @escaping @Sendable (JSONValue, JSONValue) -> JSONValue) async throws -> Int64 {
        let name = expected.name ?? ""
        let written: JSONValue
        if let existing = try? await store.get(namespace: nil, name: name) {
            if existing.annotations[BootstrapPolicy.autoupdateAnnotation] == "false" || complete(existing, expected) == existing { return 0 }
            written = try await store.guaranteedUpdate(namespace: nil, name: name, precondition: nil, options: WriteOptions()) { current in
                complete(current, expected)
            }
            logger.info("reconciled bootstrap policy", metadata: ["resource": "\(store.info.plural)", "name": "\(name)"])
        } else {
            do {
                written = try await store.create(namespace: nil, object: expected)
            } catch let error as APIError where error.reason == .alreadyExists {
                return 0
            }
            logger.debug("created bootstrap policy", metadata: ["resource": "\(store.info.plural)", "name": "\(name)"])
        }
        return written.resourceVersion.flatMap { Int64($0) } ?? 0
    }

    /// `existing` with the labels and annotations of `expected` it lacks.
    private static func completeMetadata(_ existing: JSONValue, _ expected: JSONValue) -> JSONValue {
        var object = existing
        for field in ["labels", "annotations"] {
            var values = existing[path: "metadata", field]?.objectValue ?? [:]
            for (key, value) in expected[path: "metadata", field]?.objectValue ?? [:] where values[key] == nil { values[key] = value }
            object[path: "metadata", field] = .object(values)
        }
        return object
    }

    /// A cluster role completed with the rules and aggregation selectors it lacks.
    @Sendable static func completeRole(_ existing: JSONValue, _ expected: JSONValue) -> JSONValue {
        var object = completeMetadata(existing, expected)
        if let selectors = expected[path: "aggregationRule", "clusterRoleSelectors"]?.arrayValue {
            var current = existing[path: "aggregationRule", "clusterRoleSelectors"]?.arrayValue ?? []
            for selector in selectors where !current.contains(selector) { current.append(selector) }
            object[path: "aggregationRule", "clusterRoleSelectors"] = .array(current)
        } else {
            let held = PolicyRule.rules(of: existing)
            let missing = PolicyRule.uncovered(PolicyRule.rules(of: expected), by: held)
            if !missing.isEmpty { object["rules"] = .array((held + missing).map(\.json)) }
        }
        return object
    }

    /// A cluster role binding completed with the subjects it lacks.
    @Sendable static func completeBinding(_ existing: JSONValue, _ expected: JSONValue) -> JSONValue {
        var object = completeMetadata(existing, expected)
        let held = Set(RBACBinding(json: existing).subjects)
        let missing = zip(RBACBinding(json: expected).subjects, expected["subjects"]?.arrayValue ?? []).filter { !held.contains($0.0) }
        if !missing.isEmpty { object["subjects"] = .array((existing["subjects"]?.arrayValue ?? []) + missing.map(\.1)) }
        return object
    }
}
