import SkiffAPI

/// The resources the controllers work with.
extension GroupVersionResource {
    static let namespaces = GroupVersionResource(group: "", version: "v1", resource: "namespaces")
    static let nodes = GroupVersionResource(group: "", version: "v1", resource: "nodes")
    static let pods = GroupVersionResource(group: "", version: "v1", resource: "pods")
    static let persistentVolumeClaims = GroupVersionResource(group: "", version: "v1", resource: "persistentvolumeclaims")
    static let serviceAccounts = GroupVersionResource(group: "", version: "v1", resource: "serviceaccounts")
    static let replicaSets = GroupVersionResource(group: "apps", version: "v1", resource: "replicasets")
    static let deployments = GroupVersionResource(group: "apps", version: "v1", resource: "deployments")
    static let statefulSets = GroupVersionResource(group: "apps", version: "v1", resource: "statefulsets")
    static let daemonSets = GroupVersionResource(group: "apps", version: "v1", resource: "daemonsets")
    static let controllerRevisions = GroupVersionResource(group: "apps", version: "v1", resource: "controllerrevisions")
}
