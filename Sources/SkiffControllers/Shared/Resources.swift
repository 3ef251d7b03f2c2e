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
    static let jobs = GroupVersionResource(group: "batch", version: "v1", resource: "jobs")
    static let cronJobs = GroupVersionResource(group: "batch", version: "v1", resource: "cronjobs")
    static let services = GroupVersionResource(group: "", version: "v1", resource: "services")
    static let endpoints = GroupVersionResource(group: "", version: "v1", resource: "endpoints")
    static let endpointSlices = GroupVersionResource(group: "discovery.k8s.io", version: "v1", resource: "endpointslices")
    static let leases = GroupVersionResource(group: "coordination.k8s.io", version: "v1", resource: "leases")
    static let statefulSets = GroupVersionResource(group: "apps", version: "v1", resource: "statefulsets")
    static let daemonSets = GroupVersionResource(group: "apps", version: "v1", resource: "daemonsets")
    static let controllerRevisions = GroupVersionResource(group: "apps", version: "v1", resource: "controllerrevisions")
}
