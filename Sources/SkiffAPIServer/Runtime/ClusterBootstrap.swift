import Logging
import SkiffAPI
import SkiffRegistry

/// Creates what every cluster has from the start: the system namespaces, the `kubernetes`
/// service in `default`, the cluster-scoped `SystemObjects`, the bootstrap RBAC policy, the local
/// APIServices, with priority and fairness on its bootstrap configuration, and when given the
/// `extension-apiserver-authentication` ConfigMap (kept current, as upstream's cluster
/// authentication trust controller keeps it). Existing objects are left alone (the RBAC policy is
/// completed, the APIServices marked available, the flow control objects kept as their
/// `autoupdate-spec` annotation says), so restarts are harmless.
struct ClusterBootstrap: Sendable {
    let registry: Registry
    /// The port the API server listens on: the `kubernetes` service's target port.
    let apiServerPort: Int
    /// Whether API priority and fairness is on (`--enable-priority-and-fairness`): only then is
    /// its configuration ensured, as upstream.
    var ensuresFlowControl = true
    let logger: Logger
    var extensionAuthentication: ExtensionAuthentication?

    static let namespaces = ["default", "kube-system", "kube-public", "kube-node-lease"]

    func run() async throws {
        guard let namespaces = registry.store(for: GroupResource(group: "", resource: "namespaces")),
            let services = registry.store(for: GroupResource(group: "", resource: "services"))
        else { return }
        for name in Self.namespaces {
            try await createIfMissing(namespaces, namespace: nil, ["metadata": ["name": .string(name)]])
        }
        let service: JSONValue = [
            "metadata": ["name": "kubernetes", "namespace": "default",
                         "labels": ["component": "apiserver", "provider": "kubernetes"]],
            "spec": ["clusterIP": "10.96.0.1", "type": "ClusterIP", "sessionAffinity": "None",
                     "ports": [["name": "https", "port": 443, "protocol": "TCP", "targetPort": .int(Int64(apiServerPort))]]],
        ]
        try await createIfMissing(services, namespace: "default", service)
        for (resource, objects) in SystemObjects.all {
            guard let store = registry.store(for: resource) else { continue }
            for object in objects { try await createIfMissing(store, namespace: nil, object) }
        }
        try await BootstrapPolicyReconciler(registry: registry, logger: logger).run()
        try await LocalAPIServices(registry: registry, logger: logger).run()
        if ensuresFlowControl { try await FlowControlConfigurationEnsurer(registry: registry, logger: logger).run() }
        try await extensionAuthentication?.publish(in: registry)
    }

    private func createIfMissing(_ store: ResourceStore, namespace: String?, _ object: JSONValue) async throws {
        if (try? await store.get(namespace: namespace, name: object.name ?? "")) != nil { return }
        do {
            _ = try await store.create(namespace: namespace, object: object)
            logger.debug("created", metadata: ["resource": "\(store.info.plural)", "name": "\(object.name ?? "")"])
        } catch let error as APIError where error.reason == .alreadyExists {
            return
        }
    }
}
