extension ControllerDescriptor {
    /// Every controller Skiff has, in the order the manager starts them (upstream's
    /// `NewControllerDescriptors`, with upstream's names and aliases; none is disabled by default).
    public static let builtin: [ControllerDescriptor] = [
        namespace, serviceAccount, serviceAccountToken, rootCACertPublisher, garbageCollector, replicaSet, replicationController, deployment, statefulSet, daemonSet, job, cronJob,
        ttlAfterFinished, endpoints, endpointSlice, nodeLifecycle, taintEviction, podGC, disruption, horizontalPodAutoscaler,
        resourceQuota, certificateSigning, certificateApproving, certificateCleaning, serviceLoadBalancer, persistentVolumeBinder,
        persistentVolumeProtection, persistentVolumeClaimProtection, localPathProvisioner, ephemeralVolume, ttl,
    ]

    /// `namespace-controller`: Deletes the content of terminating namespaces.
    public static let namespace = ControllerDescriptor(name: "namespace-controller", aliases: ["namespace"], serviceAccount: "namespace-controller") { context, _ in
        NamespaceController(context: context)
    }

    /// `serviceaccount-controller`: Creates the `default` ServiceAccount of every namespace.
    public static let serviceAccount = ControllerDescriptor(name: "serviceaccount-controller", aliases: ["serviceaccount"], serviceAccount: "service-account-controller") { context, _ in
        ServiceAccountController(context: context)
    }

    /// `serviceaccount-token-controller`: Fills `kubernetes.io/service-account-token` secrets with a
    /// legacy token; runs as the manager itself, only when the manager has the signing key.
    public static let serviceAccountToken = ControllerDescriptor(name: "serviceaccount-token-controller", aliases: ["serviceaccount-token"]) { context, configuration in
        ServiceAccountTokenController(context: context, configuration: configuration.serviceAccountTokens)
    }

    /// `root-ca-certificate-publisher-controller`: Publishes the cluster CA as the ConfigMap
    /// `kube-root-ca.crt` in every namespace (the pods' token volumes mount it); runs when the
    /// manager has the service account configuration (its `--root-ca-file`).
    public static let rootCACertPublisher = ControllerDescriptor(
        name: "root-ca-certificate-publisher-controller", aliases: ["root-ca-cert-publisher"], serviceAccount: "root-ca-cert-publisher"
    ) { context, configuration in
        configuration.serviceAccountTokens.map { RootCACertPublisher(context: context, rootCAPEM: $0.rootCAPEM) }
    }

    /// `garbage-collector-controller`: Deletes dependents whose owners are gone; foreground and orphan deletion.
    public static let garbageCollector = ControllerDescriptor(name: "garbage-collector-controller", aliases: ["garbagecollector"], serviceAccount: "generic-garbage-collector") { context, configuration in
        GarbageCollector(context: context, configuration: configuration.garbageCollector)
    }

    /// `replicaset-controller`: Keeps the pods of ReplicaSets.
    public static let replicaSet = ControllerDescriptor(name: "replicaset-controller", aliases: ["replicaset"], serviceAccount: "replicaset-controller") { context, configuration in
        ReplicaSetController(context: context, configuration: configuration.replicaSet)
    }

    /// `replicationcontroller-controller`: Keeps the pods of ReplicationControllers.
    public static let replicationController = ControllerDescriptor(name: "replicationcontroller-controller", aliases: ["replicationcontroller"], serviceAccount: "replication-controller"
    ) { context, configuration in
        ReplicationManager(context: context, configuration: configuration.replicationController)
    }

    /// `deployment-controller`: Rolls Deployments out through ReplicaSets.
    public static let deployment = ControllerDescriptor(name: "deployment-controller", aliases: ["deployment"], serviceAccount: "deployment-controller") { context, configuration in
        DeploymentController(context: context, configuration: configuration.deployment)
    }

    /// `statefulset-controller`: Keeps the ordered, named pods of StatefulSets.
    public static let statefulSet = ControllerDescriptor(name: "statefulset-controller", aliases: ["statefulset"], serviceAccount: "statefulset-controller") { context, configuration in
        StatefulSetController(context: context, configuration: configuration.statefulSet)
    }

    /// `daemonset-controller`: Keeps one pod of each DaemonSet on every eligible node.
    public static let daemonSet = ControllerDescriptor(name: "daemonset-controller", aliases: ["daemonset"], serviceAccount: "daemon-set-controller") { context, configuration in
        DaemonSetController(context: context, configuration: configuration.daemonSet)
    }

    /// `job-controller`: Runs Jobs' pods to completion.
    public static let job = ControllerDescriptor(name: "job-controller", aliases: ["job"], serviceAccount: "job-controller") { context, configuration in
        JobController(context: context, configuration: configuration.job)
    }

    /// `cronjob-controller`: Creates Jobs on CronJobs' schedules.
    public static let cronJob = ControllerDescriptor(name: "cronjob-controller", aliases: ["cronjob"], serviceAccount: "cronjob-controller") { context, configuration in
        CronJobController(context: context, configuration: configuration.cronJob)
    }

    /// `ttl-after-finished-controller`: Deletes finished Jobs after their TTL.
    public static let ttlAfterFinished = ControllerDescriptor(name: "ttl-after-finished-controller", aliases: ["ttl-after-finished"], serviceAccount: "ttl-after-finished-controller") { context, _ in
        TTLAfterFinishedController(context: context)
    }

    /// `endpoints-controller`: Keeps the Endpoints of Services.
    public static let endpoints = ControllerDescriptor(name: "endpoints-controller", aliases: ["endpoint"], serviceAccount: "endpoint-controller") { context, configuration in
        EndpointsController(context: context, configuration: configuration.endpoints)
    }

    /// `endpointslice-controller`: Keeps the EndpointSlices of Services.
    public static let endpointSlice = ControllerDescriptor(name: "endpointslice-controller", aliases: ["endpointslice"], serviceAccount: "endpointslice-controller") { context, configuration in
        EndpointSliceController(context: context, configuration: configuration.endpointSlice)
    }

    /// `node-lifecycle-controller`: Watches node heartbeats; sets conditions and taints.
    public static let nodeLifecycle = ControllerDescriptor(name: "node-lifecycle-controller", aliases: ["nodelifecycle"], serviceAccount: "node-controller") { context, configuration in
        NodeLifecycleController(context: context, configuration: configuration.nodeLifecycle)
    }

    /// `taint-eviction-controller`: Evicts pods from nodes with NoExecute taints they do not tolerate.
    public static let taintEviction = ControllerDescriptor(name: "taint-eviction-controller", serviceAccount: "node-controller") { context, _ in
        TaintEvictionController(context: context)
    }

    /// `pod-garbage-collector-controller`: Deletes orphaned, unscheduled-terminating and excess finished pods.
    public static let podGC = ControllerDescriptor(name: "pod-garbage-collector-controller", aliases: ["podgc"], serviceAccount: "pod-garbage-collector") { context, configuration in
        PodGCController(context: context, configuration: configuration.podGC)
    }

    /// `disruption-controller`: Keeps the status of PodDisruptionBudgets.
    public static let disruption = ControllerDescriptor(name: "disruption-controller", aliases: ["disruption"], serviceAccount: "disruption-controller") { context, _ in
        DisruptionController(context: context)
    }

    /// `horizontal-pod-autoscaler-controller`: Keeps targets within their autoscalers' bounds; reports the missing metrics.
    public static let horizontalPodAutoscaler = ControllerDescriptor(name: "horizontal-pod-autoscaler-controller", aliases: ["horizontalpodautoscaling"], serviceAccount: "horizontal-pod-autoscaler"
    ) { context, configuration in
        HorizontalPodAutoscalerController(context: context, configuration: configuration.horizontalPodAutoscaler)
    }

    /// `resourcequota-controller`: Keeps ResourceQuotas' status: their limits and what their namespace uses.
    public static let resourceQuota = ControllerDescriptor(name: "resourcequota-controller", aliases: ["resourcequota"], serviceAccount: "resourcequota-controller") { context, _ in
        ResourceQuotaController(context: context)
    }

    /// `certificatesigningrequest-signing-controller`: Signs approved CertificateSigningRequests of the built-in signers with the cluster CA.
    public static let certificateSigning = ControllerDescriptor(
        name: "certificatesigningrequest-signing-controller", aliases: ["csrsigning"], serviceAccount: "certificate-controller"
    ) { context, configuration in
        configuration.certificateSigning.map { CertificateSigningController(context: context, configuration: $0) }
    }

    /// `certificatesigningrequest-approving-controller`: Approves kubelets' client certificate requests that a SubjectAccessReview allows.
    public static let certificateApproving = ControllerDescriptor(
        name: "certificatesigningrequest-approving-controller", aliases: ["csrapproving"], serviceAccount: "certificate-controller"
    ) { context, _ in
        CertificateApprovingController(context: context)
    }

    /// `certificatesigningrequest-cleaner-controller`: Deletes old issued, denied, failed and pending CertificateSigningRequests.
    public static let certificateCleaning = ControllerDescriptor(
        name: "certificatesigningrequest-cleaner-controller", aliases: ["csrcleaner"], serviceAccount: "certificate-controller"
    ) { context, _ in
        CertificateCleaningController(context: context)
    }

    /// `service-lb-controller`: Gives LoadBalancer Services the Ready nodes' addresses (no cloud: k3s' servicelb).
    public static let serviceLoadBalancer = ControllerDescriptor(name: "service-lb-controller", aliases: ["service"], serviceAccount: "service-controller") { context, _ in
        ServiceLoadBalancerController(context: context)
    }

    /// `persistentvolume-binder-controller`: Binds claims to volumes, hands claims to provisioners, reclaims released volumes.
    public static let persistentVolumeBinder = ControllerDescriptor(
        name: "persistentvolume-binder-controller", aliases: ["persistentvolume-binder"], serviceAccount: "persistent-volume-binder"
    ) { context, _ in
        PersistentVolumeBinder(context: context)
    }

    /// `persistentvolume-protection-controller`: The `kubernetes.io/pv-protection` finalizer of volumes.
    public static let persistentVolumeProtection = ControllerDescriptor(
        name: "persistentvolume-protection-controller", aliases: ["pv-protection"], serviceAccount: "pv-protection-controller"
    ) { context, _ in
        VolumeProtectionController(context: context)
    }

    /// `persistentvolumeclaim-protection-controller`: The `kubernetes.io/pvc-protection` finalizer of claims.
    public static let persistentVolumeClaimProtection = ControllerDescriptor(
        name: "persistentvolumeclaim-protection-controller", aliases: ["pvc-protection"], serviceAccount: "pvc-protection-controller"
    ) { context, _ in
        ClaimProtectionController(context: context)
    }

    /// `local-path-provisioner-controller`: k3s' `rancher.io/local-path` provisioner and its default
    /// `local-path` StorageClass; only with a directory for the volumes (`--local-path-dir`, set by `skiff up`).
    public static let localPathProvisioner = ControllerDescriptor(
        name: "local-path-provisioner-controller", aliases: ["local-path"], serviceAccount: "local-path-provisioner"
    ) { context, configuration in
        configuration.localPath.map { LocalPathProvisioner(context: context, configuration: $0) }
    }

    /// `ephemeral-volume-controller`: Creates the claims of pods' generic ephemeral volumes.
    public static let ephemeralVolume = ControllerDescriptor(
        name: "ephemeral-volume-controller", aliases: ["ephemeral-volume"], serviceAccount: "ephemeral-volume-controller"
    ) { context, _ in
        EphemeralVolumeController(context: context)
    }

    /// `ttl-controller`: Annotates Nodes with the TTL of their kubelets' object caches, by cluster size.
    public static let ttl = ControllerDescriptor(name: "ttl-controller", aliases: ["ttl"], serviceAccount: "ttl-controller") { context, _ in
        TTLController(context: context)
    }
}
