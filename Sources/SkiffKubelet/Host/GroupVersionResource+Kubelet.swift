import SkiffAPI

/// The resources kubelets work with.
extension GroupVersionResource {
    static let nodes = GroupVersionResource(group: "", version: "v1", resource: "nodes")
    static let pods = GroupVersionResource(group: "", version: "v1", resource: "pods")
    static let leases = GroupVersionResource(group: "coordination.k8s.io", version: "v1", resource: "leases")
}
