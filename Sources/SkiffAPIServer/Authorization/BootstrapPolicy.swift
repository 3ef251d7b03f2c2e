import SkiffAPI

/// Upstream's bootstrap RBAC policy (kube-apiserver's `bootstrappolicy`): the user-facing roles
/// (`cluster-admin`, `admin`, `edit`, `view` and the roles they aggregate), discovery and
/// information roles, the roles of the components and of each controller, and the bindings that
/// grant them. `BootstrapPolicyReconciler` creates or completes them at every start.
enum BootstrapPolicy {
    static let group = "rbac.authorization.k8s.io"
    static let autoupdateAnnotation = "rbac.authorization.kubernetes.io/autoupdate"
    static let bootstrappingLabel = ["kubernetes.io/bootstrapping": "rbac-defaults"]

    static let read = ["get", "list", "watch"]
    static let readWrite = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]
    static let write = ["create", "update", "patch", "delete", "deletecollection"]

    /// A cluster role of the policy.
    struct Role {
        var name: String
        var rules: [PolicyRule] = []
        var labels: [String: String] = [:]
        /// The `aggregate-to-…` label values the role's `aggregationRule` selects, if any.
        var aggregates: String? = nil
    }

    /// A cluster role binding of the policy: the role to the subjects, named after the role
    /// unless `name` says otherwise.
    struct Binding {
        var role: String
        var subjects: [RBACBinding.Subject]
        var name: String? = nil
    }

    /// The user of `skiff up`'s simulated kubelets: one process plays every simulated node
    /// (as kubemark's hollow nodes), so it cannot be each node for the Node authorizer; it holds
    /// `system:node` through its own binding instead.
    public static let simulatedKubeletsUser = "system:skiff:simulated-kubelets"

    /// Skiff's role for the network policy agent, which runs with the service proxy's identity.
    static let networkPolicyAgentRole = "system:skiff:network-policy-agent"

    static func events() -> PolicyRule { .resources(["create", "update", "patch"], groups: ["", "events.k8s.io"], ["events"]) }

    /// The user-facing and system roles.
    static let clusterRoles: [Role] = [
        Role(name: "cluster-admin", rules: [.resources(["*"], groups: ["*"], ["*"]), .urls(["*"], ["*"])]),
        Role(name: "admin", aggregates: "admin"),
        Role(name: "edit", labels: ["rbac.authorization.k8s.io/aggregate-to-admin": "true"], aggregates: "edit"),
        Role(name: "view", labels: ["rbac.authorization.k8s.io/aggregate-to-edit": "true"], aggregates: "view"),
        Role(name: "system:aggregate-to-admin", rules: [
            .resources(["create"], groups: ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
            .resources(readWrite, groups: [group], ["rolebindings", "roles"]),
        ], labels: ["rbac.authorization.k8s.io/aggregate-to-admin": "true"]),
        Role(name: "system:aggregate-to-edit", rules: aggregateToEdit, labels: ["rbac.authorization.k8s.io/aggregate-to-edit": "true"]),
        Role(name: "system:aggregate-to-view", rules: aggregateToView, labels: ["rbac.authorization.k8s.io/aggregate-to-view": "true"]),
        Role(name: "system:auth-delegator", rules: [
            .resources(["create"], groups: ["authentication.k8s.io"], ["tokenreviews"]),
            .resources(["create"], groups: ["authorization.k8s.io"], ["subjectaccessreviews"]),
        ]),
        Role(name: "system:basic-user", rules: [
            .resources(["create"], groups: ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
            .resources(["create"], groups: ["authentication.k8s.io"], ["selfsubjectreviews"]),
        ]),
        Role(name: "system:discovery", rules: [
            .urls(["get"], ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"]),
        ]),
        Role(name: "system:public-info-viewer", rules: [.urls(["get"], ["/healthz", "/livez", "/readyz", "/version", "/version/"])]),
        Role(name: "system:monitoring", rules: [
            .urls(["get"], ["/healthz", "/healthz/*", "/livez", "/livez/*", "/metrics", "/metrics/slis", "/readyz", "/readyz/*"]),
        ]),
        Role(name: "system:service-account-issuer-discovery", rules: [.urls(["get"], ["/.well-known/openid-configuration", "/openid/v1/jwks"])]),
        Role(name: "system:kube-controller-manager", rules: kubeControllerManager),
        Role(name: "system:kube-scheduler", rules: kubeScheduler),
        Role(name: "system:volume-scheduler", rules: [
            .resources(["get", "list", "patch", "update", "watch"], groups: [""], ["persistentvolumes"]),
            .resources(read, groups: ["storage.k8s.io"], ["storageclasses"]),
            .resources(["get", "list", "patch", "update", "watch"], groups: [""], ["persistentvolumeclaims"]),
        ]),
        Role(name: "system:node", rules: node),
        Role(name: "system:node-proxier", rules: [
            .resources(["list", "watch"], groups: [""], ["endpoints", "services"]),
            .resources(read, groups: [""], ["nodes"]),
            events(),
            .resources(["list", "watch"], groups: ["discovery.k8s.io"], ["endpointslices"]),
        ]),
        // Skiff's own: what the network policy agent next to the service proxy reads.
        Role(name: networkPolicyAgentRole, rules: [
            .resources(["list", "watch"], groups: ["networking.k8s.io"], ["networkpolicies"]),
            .resources(["list", "watch"], groups: [""], ["pods", "namespaces"]),
        ]),
        Role(name: "system:node-bootstrapper", rules: [
            .resources(["create", "get", "list", "watch"], groups: ["certificates.k8s.io"], ["certificatesigningrequests"]),
        ]),
        // What the csrapproving controller asks before it approves a kubelet's client certificate.
        Role(name: "system:certificates.k8s.io:certificatesigningrequests:nodeclient", rules: [
            .resources(["create"], groups: ["certificates.k8s.io"], ["certificatesigningrequests/nodeclient"]),
        ]),
        Role(name: "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient", rules: [
            .resources(["create"], groups: ["certificates.k8s.io"], ["certificatesigningrequests/selfnodeclient"]),
        ]),
        Role(name: "system:kube-dns", rules: [.resources(["list", "watch"], groups: [""], ["endpoints", "services"])]),
    ]

    static let aggregateToEdit: [PolicyRule] = [
        .resources(read, groups: [""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"]),
        .resources(["impersonate"], groups: [""], ["serviceaccounts"]),
        .resources(write, groups: [""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"]),
        .resources(["create"], groups: [""], ["pods/eviction"]),
        .resources(write, groups: [""], ["configmaps", "events", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale",
                                         "secrets", "serviceaccounts", "services", "services/proxy"]),
        .resources(["create"], groups: [""], ["serviceaccounts/token"]),
        .resources(write, groups: ["apps"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets",
                                             "replicasets/scale", "statefulsets", "statefulsets/scale"]),
        .resources(write, groups: ["autoscaling"], ["horizontalpodautoscalers"]),
        .resources(write, groups: ["batch"], ["cronjobs", "jobs"]),
        .resources(write, groups: ["policy"], ["poddisruptionbudgets"]),
        .resources(write, groups: ["networking.k8s.io"], ["ingresses", "networkpolicies"]),
        .resources(readWrite, groups: ["coordination.k8s.io"], ["leases"]),
    ]

    static let aggregateToView: [PolicyRule] = [
        .resources(read, groups: [""], ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods",
                                        "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"]),
        .resources(read, groups: [""], ["bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status",
                                        "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"]),
        .resources(read, groups: [""], ["namespaces"]),
        .resources(read, groups: ["discovery.k8s.io"], ["endpointslices"]),
        .resources(read, groups: ["apps"], ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                                            "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets",
                                            "statefulsets/scale", "statefulsets/status"]),
        .resources(read, groups: ["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
        .resources(read, groups: ["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"]),
        .resources(read, groups: ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
        .resources(read, groups: ["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"]),
    ]

    static let kubeControllerManager: [PolicyRule] = [
        events(),
        .resources(["create"], groups: ["coordination.k8s.io"], ["leases"]),
        .resources(["get", "update"], groups: ["coordination.k8s.io"], ["leases"], names: ["kube-controller-manager"]),
        .resources(["create"], groups: [""], ["secrets", "serviceaccounts"]),
        .resources(["delete"], groups: [""], ["secrets"]),
        .resources(["get"], groups: [""], ["configmaps", "namespaces", "secrets", "serviceaccounts"]),
        .resources(["update"], groups: [""], ["secrets", "serviceaccounts"]),
        .resources(["create"], groups: ["authentication.k8s.io"], ["tokenreviews"]),
        .resources(["create"], groups: ["authorization.k8s.io"], ["subjectaccessreviews"]),
        .resources(["list", "watch"], groups: ["*"], ["*"]),
        .resources(["create"], groups: [""], ["serviceaccounts/token"]),
    ]

    static let kubeScheduler: [PolicyRule] = [
        events(),
        .resources(["create"], groups: ["coordination.k8s.io"], ["leases"]),
        .resources(["get", "update"], groups: ["coordination.k8s.io"], ["leases"], names: ["kube-scheduler"]),
        .resources(read, groups: [""], ["nodes"]),
        .resources(["delete", "get", "list", "watch"], groups: [""], ["pods"]),
        .resources(["create"], groups: [""], ["bindings", "pods/binding"]),
        .resources(["patch", "update"], groups: [""], ["pods/status"]),
        .resources(read, groups: [""], ["replicationcontrollers", "services"]),
        .resources(read, groups: ["apps", "extensions"], ["replicasets"]),
        .resources(read, groups: ["apps"], ["statefulsets"]),
        .resources(read, groups: ["policy"], ["poddisruptionbudgets"]),
        .resources(read, groups: [""], ["persistentvolumeclaims", "persistentvolumes"]),
        .resources(["create"], groups: ["authentication.k8s.io"], ["tokenreviews"]),
        .resources(["create"], groups: ["authorization.k8s.io"], ["subjectaccessreviews"]),
        .resources(read, groups: ["storage.k8s.io"], ["csinodes"]),
        .resources(read, groups: [""], ["namespaces"]),
        .resources(read, groups: ["storage.k8s.io"], ["csidrivers"]),
        .resources(read, groups: ["storage.k8s.io"], ["csistoragecapacities"]),
    ]

    static let node: [PolicyRule] = [
        .resources(["create"], groups: ["authentication.k8s.io"], ["tokenreviews"]),
        .resources(["create"], groups: ["authorization.k8s.io"], ["localsubjectaccessreviews", "subjectaccessreviews"]),
        .resources(read, groups: [""], ["services"]),
        .resources(["create", "get", "list", "watch"], groups: [""], ["nodes"]),
        .resources(["patch", "update"], groups: [""], ["nodes/status"]),
        .resources(["patch", "update"], groups: [""], ["nodes"]),
        .resources(["create", "patch", "update"], groups: [""], ["events"]),
        .resources(read, groups: [""], ["pods"]),
        .resources(["create", "delete"], groups: [""], ["pods"]),
        .resources(["patch", "update"], groups: [""], ["pods/status"]),
        .resources(["create"], groups: [""], ["pods/eviction"]),
        .resources(read, groups: [""], ["configmaps", "secrets"]),
        .resources(["get"], groups: [""], ["persistentvolumeclaims", "persistentvolumes"]),
        .resources(["get"], groups: [""], ["endpoints"]),
        .resources(["create", "get", "list", "watch"], groups: ["certificates.k8s.io"], ["certificatesigningrequests"]),
        .resources(["create", "delete", "get", "patch", "update"], groups: ["coordination.k8s.io"], ["leases"]),
        .resources(["get"], groups: ["storage.k8s.io"], ["volumeattachments"]),
        .resources(["create"], groups: [""], ["serviceaccounts/token"]),
        .resources(["get", "patch", "update"], groups: [""], ["persistentvolumeclaims/status"]),
        .resources(read, groups: ["storage.k8s.io"], ["csidrivers"]),
        .resources(["create", "delete", "get", "patch", "update"], groups: ["storage.k8s.io"], ["csinodes"]),
        .resources(read, groups: ["node.k8s.io"], ["runtimeclasses"]),
    ]

    /// The cluster role bindings (the `system:node` binding has no subjects: nodes are authorized
    /// by the Node authorizer).
    static let clusterRoleBindings: [Binding] = [
        Binding(role: "cluster-admin", subjects: [subjectGroup(UserInfo.privilegedGroup)]),
        Binding(role: "system:basic-user", subjects: [subjectGroup(UserInfo.allAuthenticated)]),
        Binding(role: "system:discovery", subjects: [subjectGroup(UserInfo.allAuthenticated)]),
        Binding(role: "system:public-info-viewer", subjects: [subjectGroup(UserInfo.allAuthenticated), subjectGroup(UserInfo.allUnauthenticated)]),
        Binding(role: "system:monitoring", subjects: [subjectGroup("system:monitoring")]),
        Binding(role: "system:service-account-issuer-discovery", subjects: [subjectGroup("system:serviceaccounts")]),
        Binding(role: "system:kube-controller-manager", subjects: [subjectUser("system:kube-controller-manager")]),
        Binding(role: "system:kube-scheduler", subjects: [subjectUser("system:kube-scheduler")]),
        Binding(role: "system:volume-scheduler", subjects: [subjectUser("system:kube-scheduler")]),
        Binding(role: "system:kube-dns", subjects: [RBACBinding.Subject(kind: "ServiceAccount", name: "kube-dns", namespace: "kube-system")]),
        Binding(role: "system:node", subjects: []),
        Binding(role: "system:node", subjects: [subjectUser(simulatedKubeletsUser)], name: "system:skiff:simulated-kubelets"),
        Binding(role: "system:node-proxier", subjects: [subjectUser("system:kube-proxy")]),
        Binding(role: networkPolicyAgentRole, subjects: [subjectUser("system:kube-proxy")]),
        // As kubeadm binds them: bootstrapping kubelets get their first client certificate, and
        // nodes renew theirs, without an administrator approving each request.
        Binding(role: "system:certificates.k8s.io:certificatesigningrequests:nodeclient", subjects: [subjectGroup("system:bootstrappers")],
                name: "system:skiff:node-autoapprove-bootstrap"),
        Binding(role: "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient", subjects: [subjectGroup("system:nodes")],
                name: "system:skiff:node-autoapprove-certificate-rotation"),
    ]

    static func subjectGroup(_ name: String) -> RBACBinding.Subject { RBACBinding.Subject(kind: "Group", name: name) }
    static func subjectUser(_ name: String) -> RBACBinding.Subject { RBACBinding.Subject(kind: "User", name: name) }
}
