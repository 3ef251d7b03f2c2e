import SkiffAPI
import SkiffStorage

/// The built-in resources the server registers at startup: each a description and a strategy.
public enum BuiltinResources {
    /// Every built-in resource, with upstream's names, short names, categories, scope,
    /// subresources and verbs. What kinds keep beside their objects (the service IP and port
    /// allocations) lives in `storage`.
    public static func entries(storage: any Storage) -> [Registry.Entry] {
        let core = "io.k8s.api.core.v1."
        let apps = "io.k8s.api.apps.v1."
        let batch = "io.k8s.api.batch.v1."
        let all = ["all"]
        func entry(_ info: ResourceInfo, _ strategy: any ResourceStrategy) -> Registry.Entry {
            Registry.Entry(info: info, strategy: strategy)
        }
        return [
            // Namespaces have no deletecollection, as upstream.
            entry(ResourceInfo(group: "", version: "v1", kind: "Namespace", plural: "namespaces", shortNames: ["ns"], namespaced: false,
                               subresources: [.status, .finalize], verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
                               definitionName: core + "Namespace"), NamespaceStrategy()),
            entry(ResourceInfo(group: "", version: "v1", kind: "Pod", plural: "pods", shortNames: ["po"], categories: all, namespaced: true,
                               subresources: [.status, .binding], definitionName: core + "Pod"), PodStrategy()),
            entry(services, ServiceStrategy(allocator: serviceAllocator(storage: storage))),
            entry(ResourceInfo(group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", shortNames: ["cm"], namespaced: true,
                               definitionName: core + "ConfigMap"), ConfigMapStrategy()),
            entry(ResourceInfo(group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true,
                               definitionName: core + "Secret"), SecretStrategy()),
            entry(ResourceInfo(group: "", version: "v1", kind: "Node", plural: "nodes", shortNames: ["no"], namespaced: false,
                               subresources: [.status], definitionName: core + "Node"), NodeStrategy()),
            entry(ResourceInfo(group: "", version: "v1", kind: "Event", plural: "events", shortNames: ["ev"], namespaced: true,
                               definitionName: core + "Event"), EventStrategy()),
            entry(ResourceInfo(group: "", version: "v1", kind: "Endpoints", plural: "endpoints", singular: "endpoints", shortNames: ["ep"],
                               namespaced: true, definitionName: core + "Endpoints"), EndpointsStrategy()),
            entry(ResourceInfo(group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", shortNames: ["sa"], namespaced: true,
                               definitionName: core + "ServiceAccount"), ServiceAccountStrategy()),
            entry(ResourceInfo(group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", shortNames: ["pvc"],
                               namespaced: true, subresources: [.status], definitionName: core + "PersistentVolumeClaim"),
                  PersistentVolumeClaimStrategy()),
            entry(ResourceInfo(group: "apps", version: "v1", kind: "Deployment", plural: "deployments", shortNames: ["deploy"], categories: all,
                               namespaced: true, subresources: [.status, .scale], definitionName: apps + "Deployment"), DeploymentStrategy()),
            entry(ResourceInfo(group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", shortNames: ["rs"], categories: all,
                               namespaced: true, subresources: [.status, .scale], definitionName: apps + "ReplicaSet"), ReplicaSetStrategy()),
            entry(ResourceInfo(group: "apps", version: "v1", kind: "StatefulSet", plural: "statefulsets", shortNames: ["sts"], categories: all,
                               namespaced: true, subresources: [.status, .scale], definitionName: apps + "StatefulSet"), StatefulSetStrategy()),
            entry(ResourceInfo(group: "apps", version: "v1", kind: "DaemonSet", plural: "daemonsets", shortNames: ["ds"], categories: all,
                               namespaced: true, subresources: [.status], definitionName: apps + "DaemonSet"), DaemonSetStrategy()),
            entry(ResourceInfo(group: "apps", version: "v1", kind: "ControllerRevision", plural: "controllerrevisions", namespaced: true,
                               definitionName: apps + "ControllerRevision"), ControllerRevisionStrategy()),
            entry(ResourceInfo(group: "batch", version: "v1", kind: "Job", plural: "jobs", categories: all, namespaced: true,
                               subresources: [.status], definitionName: batch + "Job"), JobStrategy()),
            entry(ResourceInfo(group: "batch", version: "v1", kind: "CronJob", plural: "cronjobs", shortNames: ["cj"], categories: all,
                               namespaced: true, subresources: [.status], definitionName: batch + "CronJob"), CronJobStrategy()),
            entry(ResourceInfo(group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true,
                               definitionName: "io.k8s.api.coordination.v1.Lease"), LeaseStrategy()),
            entry(ResourceInfo(group: "events.k8s.io", version: "v1", kind: "Event", plural: "events", shortNames: ["ev"], namespaced: true,
                               definitionName: "io.k8s.api.events.v1.Event", storageResource: GroupResource(group: "", resource: "events")),
                  EventsV1Strategy()),
            entry(ResourceInfo(group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice", plural: "endpointslices", namespaced: true,
                               definitionName: "io.k8s.api.discovery.v1.EndpointSlice"), EndpointSliceStrategy()),
            entry(ResourceInfo(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", plural: "customresourcedefinitions",
                               shortNames: ["crd", "crds"], namespaced: false, subresources: [.status],
                               definitionName: "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition"),
                  CustomResourceDefinitionStrategy()),
        ]
    }

    /// Rebuilds what kinds keep beside their objects from the objects in storage (the service IP
    /// and node port allocations); run at start, before the server serves.
    public static func repairAllocations(storage: any Storage) async throws {
        try await serviceAllocator(storage: storage).repair()
    }

    private static let services = ResourceInfo(
        group: "", version: "v1", kind: "Service", plural: "services", shortNames: ["svc"], categories: ["all"], namespaced: true,
        subresources: [.status], definitionName: "io.k8s.api.core.v1.Service")

    private static func serviceAllocator(storage: any Storage) -> ServiceAllocator {
        ServiceAllocator(storage: storage, servicesKeyPrefix: services.keyPrefix)
    }
}
