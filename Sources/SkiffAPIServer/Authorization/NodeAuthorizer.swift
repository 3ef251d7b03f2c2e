import SkiffAPI
import SkiffRegistry

/// Upstream's Node authorizer, for kubelets (`system:node:NAME` in `system:nodes`): secrets,
/// config maps and persistent volume claims only when a pod bound to the node uses them, its own
/// lease in `kube-node-lease`, and otherwise the `system:node` role's rules. Other users get no
/// opinion. The pods come from the registry's watch cache.
struct NodeAuthorizer: Authorizer {
    static let nodesGroup = "system:nodes"
    static let userPrefix = "system:node:"

    let pods: ResourceStore?

    init(registry: Registry) {
        pods = registry.store(for: GroupResource(group: "", resource: "pods"))
    }

    func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
        let user = attributes.user
        guard user.groups.contains(Self.nodesGroup), user.name.hasPrefix(Self.userPrefix) else { return AuthorizationDecision(.noOpinion) }
        let node = String(user.name.dropFirst(Self.userPrefix.count))
        guard attributes.isResourceRequest, attributes.apiGroup.isEmpty || attributes.apiGroup == "coordination.k8s.io" else {
            return staticRules(attributes)
        }
        switch (attributes.apiGroup, attributes.resource) {
        case ("", "secrets"), ("", "configmaps"), ("", "persistentvolumeclaims"):
            if !attributes.subresource.isEmpty { return staticRules(attributes) }
            guard RequestInfo.readOnlyVerbs.contains(attributes.verb), !attributes.name.isEmpty else {
                return AuthorizationDecision(.noOpinion, reason: "can only read individual \(attributes.resource) of this type")
            }
            guard references(of: node).contains(Reference(resource: attributes.resource, namespace: attributes.namespace, name: attributes.name)) else {
                return AuthorizationDecision(.noOpinion, reason: "no relationship found between node '\(node)' and this object")
            }
            return AuthorizationDecision(.allow)
        case ("coordination.k8s.io", "leases"):
            guard attributes.namespace == "kube-node-lease", attributes.name == node || attributes.verb == "create" else {
                return AuthorizationDecision(.noOpinion, reason: "can only access node lease with the same name as the requesting node")
            }
            return staticRules(attributes)
        default:
            return staticRules(attributes)
        }
    }

    private func staticRules(_ attributes: AuthorizationAttributes) -> AuthorizationDecision {
        BootstrapPolicy.node.contains { $0.allows(attributes) } ? AuthorizationDecision(.allow) : AuthorizationDecision(.noOpinion)
    }

    struct Reference: Hashable {
        var resource: String
        var namespace: String
        var name: String
    }

    /// What the pods bound to `node` use.
    func references(of node: String) -> Set<Reference> {
        guard let pods else { return [] }
        var references = Set<Reference>()
        let bound = pods.cache.snapshot(filter: WatchFilter()).objects.filter { $0.fields["spec.nodeName"] == node }
        for pod in bound.map(\.decoded) {
            let namespace = pod.namespace ?? ""
            func add(_ resource: String, _ name: JSONValue?) {
                if let name = name?.stringValue, !name.isEmpty { references.insert(Reference(resource: resource, namespace: namespace, name: name)) }
            }
            for secret in pod[path: "spec", "imagePullSecrets"]?.arrayValue ?? [] { add("secrets", secret["name"]) }
            for volume in pod[path: "spec", "volumes"]?.arrayValue ?? [] {
                add("secrets", volume[path: "secret", "secretName"])
                add("configmaps", volume[path: "configMap", "name"])
                add("persistentvolumeclaims", volume[path: "persistentVolumeClaim", "claimName"])
                // An ephemeral volume's claim is `<pod>-<volume>` (the ephemeral-volume controller's).
                if volume["ephemeral"] != nil, let name = volume["name"]?.stringValue { add("persistentvolumeclaims", .string("\(pod.name ?? "")-\(name)")) }
                for source in volume[path: "projected", "sources"]?.arrayValue ?? [] {
                    add("secrets", source[path: "secret", "name"])
                    add("configmaps", source[path: "configMap", "name"])
                }
            }
            let containers = ["containers", "initContainers", "ephemeralContainers"].flatMap { pod[path: "spec", $0]?.arrayValue ?? [] }
            for container in containers {
                for env in container["env"]?.arrayValue ?? [] {
                    add("secrets", env[path: "valueFrom", "secretKeyRef", "name"])
                    add("configmaps", env[path: "valueFrom", "configMapKeyRef", "name"])
                }
                for source in container["envFrom"]?.arrayValue ?? [] {
                    add("secrets", source[path: "secretRef", "name"])
                    add("configmaps", source[path: "configMapRef", "name"])
                }
            }
        }
        return references
    }
}
