import SkiffAPI

/// Where a resource's objects live in storage, as upstream lays out etcd: built-in resources at
/// `/registry/<resource>/` (with upstream's historical names for a few), API extension and
/// aggregation objects and custom resources at `/registry/<group>/<resource>/`.
enum StorageKeyPath {
    /// The groups whose resources upstream stores by resource name alone.
    static let groupsKeyedByResource: Set<String> = [
        "", "admissionregistration.k8s.io", "apps", "autoscaling", "batch", "certificates.k8s.io", "coordination.k8s.io",
        "discovery.k8s.io", "events.k8s.io", "extensions", "flowcontrol.apiserver.k8s.io", "internal.apiserver.k8s.io",
        "networking.k8s.io", "node.k8s.io", "policy", "rbac.authorization.k8s.io", "resource.k8s.io", "scheduling.k8s.io",
        "storage.k8s.io", "storagemigration.k8s.io",
    ]

    /// Resources upstream stores under another name (core's oldest names, and the ingress).
    static let renamed: [GroupResource: String] = [
        GroupResource(group: "", resource: "nodes"): "minions",
        GroupResource(group: "", resource: "services"): "services/specs",
        GroupResource(group: "", resource: "endpoints"): "services/endpoints",
        GroupResource(group: "", resource: "replicationcontrollers"): "controllers",
        GroupResource(group: "networking.k8s.io", resource: "ingresses"): "ingress",
    ]

    /// The key prefix of `resource`'s objects, ending with "/".
    static func prefix(of resource: GroupResource) -> String {
        if let name = renamed[resource] { return "/registry/" + name + "/" }
        if groupsKeyedByResource.contains(resource.group) { return "/registry/" + resource.resource + "/" }
        return "/registry/" + resource.group + "/" + resource.resource + "/"
    }
}
