import Logging
import SkiffAPI
import SkiffRegistry

/// The APIServices of the group versions this server serves itself, as upstream's autoregister
/// controller keeps them (`kubectl get apiservices` lists them): named `<version>.<group>`
/// (`v1.` for the core group), with upstream's group and version priorities, the label
/// `kube-aggregator.kubernetes.io/automanaged: onstart`, no service, and `Available=True` with
/// reason `Local`. Group versions upstream's table does not name are not registered, as upstream.
struct LocalAPIServices: Sendable {
    let registry: Registry
    let logger: Logger

    /// Upstream's priorities (kube-apiserver's `apiVersionPriorities`) of the group versions Skiff serves.
    static let priorities: [GroupVersion: (group: Int64, version: Int64)] = [
        GroupVersion(group: "", version: "v1"): (18000, 1),
        GroupVersion(group: "apps", version: "v1"): (17800, 15),
        GroupVersion(group: "events.k8s.io", version: "v1"): (17750, 15),
        GroupVersion(group: "authentication.k8s.io", version: "v1"): (17700, 15),
        GroupVersion(group: "authorization.k8s.io", version: "v1"): (17600, 15),
        GroupVersion(group: "autoscaling", version: "v2"): (17500, 30),
        GroupVersion(group: "autoscaling", version: "v1"): (17500, 15),
        GroupVersion(group: "batch", version: "v1"): (17400, 15),
        GroupVersion(group: "certificates.k8s.io", version: "v1"): (17300, 15),
        GroupVersion(group: "networking.k8s.io", version: "v1"): (17200, 15),
        GroupVersion(group: "policy", version: "v1"): (17100, 15),
        GroupVersion(group: "rbac.authorization.k8s.io", version: "v1"): (17000, 15),
        GroupVersion(group: "storage.k8s.io", version: "v1"): (16800, 15),
        GroupVersion(group: "apiextensions.k8s.io", version: "v1"): (16700, 15),
        GroupVersion(group: "admissionregistration.k8s.io", version: "v1"): (16700, 15),
        GroupVersion(group: "scheduling.k8s.io", version: "v1"): (16600, 15),
        GroupVersion(group: "coordination.k8s.io", version: "v1"): (16500, 15),
        GroupVersion(group: "node.k8s.io", version: "v1"): (16300, 15),
        GroupVersion(group: "discovery.k8s.io", version: "v1"): (16200, 15),
        GroupVersion(group: "flowcontrol.apiserver.k8s.io", version: "v1"): (16100, 21),
        GroupVersion(group: "apiregistration.k8s.io", version: "v1"): (18000, 15),
    ]

    static let automanagedLabel = "kube-aggregator.kubernetes.io/automanaged"

    /// The APIService of a served group version, without status, labelled `automanaged` as
    /// `manager` says (`onstart` for the built-in groups, `true` for CRD groups).
    static func apiService(_ groupVersion: GroupVersion, priority: (group: Int64, version: Int64), manager: String = "onstart") -> JSONValue {
        [
            "metadata": [
                "name": .string(groupVersion.version + "." + groupVersion.group),
                "labels": .object([automanagedLabel: .string(manager)]),
            ],
            "spec": [
                "group": .string(groupVersion.group), "version": .string(groupVersion.version),
                "groupPriorityMinimum": .int(priority.group), "versionPriority": .int(priority.version),
            ],
        ]
    }

    /// Creates the missing APIServices of the served built-in group versions and marks each available.
    func run() async throws {
        guard let store = registry.store(for: GroupResource(group: "apiregistration.k8s.io", resource: "apiservices")) else { return }
        let served = Set(registry.resources.map(\.groupVersion))
        for groupVersion in served.sorted(by: { $0.apiVersion < $1.apiVersion }) {
            guard let priority = Self.priorities[groupVersion] else { continue }
            try await Self.ensure(Self.apiService(groupVersion, priority: priority), in: store)
        }
        logger.debug("local APIServices registered")
    }

    /// Creates `object` (a local APIService) unless it exists, then sets its `Available=True`
    /// condition (reason `Local`) unless it has it.
    static func ensure(_ object: JSONValue, in store: ResourceStore) async throws {
        let name = object.name ?? ""
        if (try? await store.get(namespace: nil, name: name)) == nil {
            do {
                _ = try await store.create(namespace: nil, object: object)
            } catch let error as APIError where error.reason == .alreadyExists {}
        }
        _ = try await store.guaranteedUpdate(namespace: nil, name: name, precondition: nil, options: WriteOptions(), subresource: "status") { current in
            var updated = current
            let available = current[path: "status", "conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "Available" }
            if available?["reason"]?.stringValue == "Local", available?["status"]?.stringValue == "True" { return current }
            updated["status"] = ["conditions": [[
                "type": "Available", "status": "True", "reason": "Local",
                "message": "Local APIServices are always available", "lastTransitionTime": .string(Timestamp.now().rfc3339),
            ]]]
            return updated
        }
    }
}
