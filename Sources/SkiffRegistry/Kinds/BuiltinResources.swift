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
                               subresources: [.status, .binding, .eviction], definitionName: core + "Pod"), PodStrategy()),
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
        ] + legacyCore(all) + authorizationAndPolicy(all) + clusterConfiguration()
    }

    /// The rest of core/v1: replication controllers, pod templates, volumes, limits, quotas and
    /// the deprecated, read-only component statuses.
    private static func legacyCore(_ all: [String]) -> [Registry.Entry] {
        let core = "io.k8s.api.core.v1."
        return [
            Registry.Entry(info: ResourceInfo(group: "", version: "v1", kind: "ReplicationController", plural: "replicationcontrollers", shortNames: ["rc"],
                                              categories: all, namespaced: true, subresources: [.status, .scale], definitionName: core + "ReplicationController"),
                           strategy: ReplicationControllerStrategy()),
            Registry.Entry(info: ResourceInfo(group: "", version: "v1", kind: "PodTemplate", plural: "podtemplates", namespaced: true,
                                              definitionName: core + "PodTemplate"), strategy: PodTemplateStrategy()),
            Registry.Entry(info: ResourceInfo(group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", shortNames: ["pv"],
                                              namespaced: false, subresources: [.status], definitionName: core + "PersistentVolume"),
                           strategy: PersistentVolumeStrategy()),
            Registry.Entry(info: ResourceInfo(group: "", version: "v1", kind: "LimitRange", plural: "limitranges", shortNames: ["limits"], namespaced: true,
                                              definitionName: core + "LimitRange"), strategy: LimitRangeStrategy()),
            Registry.Entry(info: ResourceInfo(group: "", version: "v1", kind: "ResourceQuota", plural: "resourcequotas", shortNames: ["quota"],
                                              namespaced: true, subresources: [.status], definitionName: core + "ResourceQuota"),
                           strategy: ResourceQuotaStrategy()),
            Registry.Entry(info: ResourceInfo(group: "", version: "v1", kind: "Binding", plural: "bindings", namespaced: true, verbs: ["create"],
                                              definitionName: core + "Binding"),
                           strategy: BindingStrategy()),
            Registry.Entry(info: ResourceInfo(group: "", version: "v1", kind: "ComponentStatus", plural: "componentstatuses", shortNames: ["cs"],
                                              namespaced: false, verbs: ["get", "list"], definitionName: core + "ComponentStatus"),
                           strategy: ComponentStatusStrategy()),
        ]
    }

    /// RBAC, networking, disruption budgets, priority classes and autoscalers (autoscaling/v1 is
    /// a view of the autoscaling/v2 storage).
    private static func authorizationAndPolicy(_ all: [String]) -> [Registry.Entry] {
        let rbac = "io.k8s.api.rbac.v1."
        return [
            Registry.Entry(info: ResourceInfo(group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles",
                                              namespaced: true, definitionName: rbac + "Role"), strategy: RBACRoleStrategy(namespaced: true)),
            Registry.Entry(info: ResourceInfo(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles",
                                              namespaced: false, definitionName: rbac + "ClusterRole"), strategy: RBACRoleStrategy(namespaced: false)),
            Registry.Entry(info: ResourceInfo(group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings",
                                              namespaced: true, definitionName: rbac + "RoleBinding"), strategy: RBACBindingStrategy(namespaced: true)),
            Registry.Entry(info: ResourceInfo(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings",
                                              namespaced: false, definitionName: rbac + "ClusterRoleBinding"), strategy: RBACBindingStrategy(namespaced: false)),
            Registry.Entry(info: ResourceInfo(group: "networking.k8s.io", version: "v1", kind: "Ingress", plural: "ingresses", shortNames: ["ing"], namespaced: true,
                                              subresources: [.status], definitionName: "io.k8s.api.networking.v1.Ingress"), strategy: IngressStrategy()),
            Registry.Entry(info: ResourceInfo(group: "networking.k8s.io", version: "v1", kind: "IngressClass", plural: "ingressclasses", namespaced: false,
                                              definitionName: "io.k8s.api.networking.v1.IngressClass"), strategy: IngressClassStrategy()),
            Registry.Entry(info: ResourceInfo(group: "networking.k8s.io", version: "v1", kind: "NetworkPolicy", plural: "networkpolicies", shortNames: ["netpol"],
                                              namespaced: true, definitionName: "io.k8s.api.networking.v1.NetworkPolicy"), strategy: NetworkPolicyStrategy()),
            Registry.Entry(info: ResourceInfo(group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets", shortNames: ["pdb"],
                                              namespaced: true, subresources: [.status], definitionName: "io.k8s.api.policy.v1.PodDisruptionBudget"),
                           strategy: PodDisruptionBudgetStrategy()),
            Registry.Entry(info: ResourceInfo(group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass", plural: "priorityclasses", shortNames: ["pc"],
                                              namespaced: false, definitionName: "io.k8s.api.scheduling.v1.PriorityClass"), strategy: PriorityClassStrategy()),
            Registry.Entry(info: ResourceInfo(group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers",
                                              shortNames: ["hpa"], categories: all, namespaced: true, subresources: [.status],
                                              definitionName: "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler"),
                           strategy: HorizontalPodAutoscalerStrategy()),
            Registry.Entry(info: ResourceInfo(group: "autoscaling", version: "v1", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers",
                                              shortNames: ["hpa"], categories: all, namespaced: true, subresources: [.status],
                                              definitionName: "io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler"),
                           strategy: HorizontalPodAutoscalerV1Strategy()),
        ]
    }

    /// Storage, runtime classes, certificate requests, API priority and fairness, admission
    /// configuration and API services: stored and validated; the behaviour behind them belongs to
    /// other parts (see docs/registry.md).
    private static func clusterConfiguration() -> [Registry.Entry] {
        let extensions = ["api-extensions"]
        return [
            Registry.Entry(info: ResourceInfo(group: "storage.k8s.io", version: "v1", kind: "StorageClass", plural: "storageclasses", shortNames: ["sc"],
                                              namespaced: false, definitionName: "io.k8s.api.storage.v1.StorageClass"), strategy: StorageClassStrategy()),
            Registry.Entry(info: ResourceInfo(group: "storage.k8s.io", version: "v1", kind: "CSIDriver", plural: "csidrivers", namespaced: false,
                                              definitionName: "io.k8s.api.storage.v1.CSIDriver"), strategy: CSIDriverStrategy()),
            Registry.Entry(info: ResourceInfo(group: "storage.k8s.io", version: "v1", kind: "CSINode", plural: "csinodes", namespaced: false,
                                              definitionName: "io.k8s.api.storage.v1.CSINode"), strategy: CSINodeStrategy()),
            Registry.Entry(info: ResourceInfo(group: "storage.k8s.io", version: "v1", kind: "CSIStorageCapacity", plural: "csistoragecapacities", namespaced: true,
                                              definitionName: "io.k8s.api.storage.v1.CSIStorageCapacity"), strategy: CSIStorageCapacityStrategy()),
            Registry.Entry(info: ResourceInfo(group: "storage.k8s.io", version: "v1", kind: "VolumeAttachment", plural: "volumeattachments", namespaced: false,
                                              subresources: [.status], definitionName: "io.k8s.api.storage.v1.VolumeAttachment"),
                           strategy: VolumeAttachmentStrategy()),
            Registry.Entry(info: ResourceInfo(group: "node.k8s.io", version: "v1", kind: "RuntimeClass", plural: "runtimeclasses", namespaced: false,
                                              definitionName: "io.k8s.api.node.v1.RuntimeClass"), strategy: RuntimeClassStrategy()),
            Registry.Entry(info: ResourceInfo(group: "certificates.k8s.io", version: "v1", kind: "CertificateSigningRequest",
                                              plural: "certificatesigningrequests", shortNames: ["csr"], namespaced: false, subresources: [.status, .approval],
                                              definitionName: "io.k8s.api.certificates.v1.CertificateSigningRequest"),
                           strategy: CertificateSigningRequestStrategy()),
            Registry.Entry(info: ResourceInfo(group: "flowcontrol.apiserver.k8s.io", version: "v1", kind: "FlowSchema", plural: "flowschemas", namespaced: false,
                                              subresources: [.status], definitionName: "io.k8s.api.flowcontrol.v1.FlowSchema"), strategy: FlowSchemaStrategy()),
            Registry.Entry(info: ResourceInfo(group: "flowcontrol.apiserver.k8s.io", version: "v1", kind: "PriorityLevelConfiguration", plural: "prioritylevelconfigurations",
                                              namespaced: false, subresources: [.status],
                                              definitionName: "io.k8s.api.flowcontrol.v1.PriorityLevelConfiguration"),
                           strategy: PriorityLevelConfigurationStrategy()),
            Registry.Entry(info: ResourceInfo(group: "admissionregistration.k8s.io", version: "v1", kind: "MutatingWebhookConfiguration", plural: "mutatingwebhookconfigurations",
                                              categories: extensions, namespaced: false,
                                              definitionName: "io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration"),
                           strategy: WebhookConfigurationStrategy(mutating: true)),
            Registry.Entry(info: ResourceInfo(group: "admissionregistration.k8s.io", version: "v1", kind: "ValidatingWebhookConfiguration",
                                              plural: "validatingwebhookconfigurations", categories: extensions, namespaced: false,
                                              definitionName: "io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration"),
                           strategy: WebhookConfigurationStrategy(mutating: false)),
            Registry.Entry(info: ResourceInfo(group: "admissionregistration.k8s.io", version: "v1", kind: "ValidatingAdmissionPolicy", plural: "validatingadmissionpolicies",
                                              categories: extensions, namespaced: false, subresources: [.status],
                                              definitionName: "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicy"),
                           strategy: ValidatingAdmissionPolicyStrategy()),
            Registry.Entry(info: ResourceInfo(group: "admissionregistration.k8s.io", version: "v1", kind: "ValidatingAdmissionPolicyBinding",
                                              plural: "validatingadmissionpolicybindings", categories: extensions, namespaced: false,
                                              definitionName: "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyBinding"),
                           strategy: ValidatingAdmissionPolicyBindingStrategy()),
            Registry.Entry(info: ResourceInfo(group: "apiregistration.k8s.io", version: "v1", kind: "APIService", plural: "apiservices",
                                              categories: extensions, namespaced: false, subresources: [.status],
                                              definitionName: "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService"),
                           strategy: APIServiceStrategy()),
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
