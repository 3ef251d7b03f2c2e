/// The roles of the controller manager's controllers, each run under its own service account in
/// `kube-system` (upstream's `system:controller:*` roles and bindings).
extension BootstrapPolicy {
    static let controllerRolePrefix = "system:controller:"

    /// The controllers' roles, named without the prefix.
    static let controllerRoles: [Role] = {
        let update = ["update"]
        let pods = PolicyRule.resources(["create", "delete", "list", "patch", "watch"], groups: [""], ["pods"])
        let revisions = PolicyRule.resources(["create", "delete", "get", "list", "patch", "update", "watch"], groups: ["apps"], ["controllerrevisions"])
        let roles: [Role] = [
            Role(name: "clusterrole-aggregation-controller", rules: [
                .resources(["escalate", "get", "list", "patch", "update", "watch"], groups: [group], ["clusterroles"]),
            ]),
            Role(name: "certificate-controller", rules: [
                .resources(["delete", "get", "list", "watch"], groups: ["certificates.k8s.io"], ["certificatesigningrequests"]),
                .resources(update, groups: ["certificates.k8s.io"], ["certificatesigningrequests/approval", "certificatesigningrequests/status"]),
                .resources(["approve"], groups: ["certificates.k8s.io"], ["signers"], names: ["kubernetes.io/kube-apiserver-client-kubelet"]),
                .resources(["sign"], groups: ["certificates.k8s.io"], ["signers"], names: [
                    "kubernetes.io/kube-apiserver-client", "kubernetes.io/kube-apiserver-client-kubelet", "kubernetes.io/kubelet-serving",
                    "kubernetes.io/legacy-unknown",
                ]),
                .resources(["create"], groups: ["authorization.k8s.io"], ["subjectaccessreviews"]),
                events(),
            ]),
            Role(name: "cronjob-controller", rules: [
                .resources(["get", "list", "update", "watch"], groups: ["batch"], ["cronjobs"]),
                .resources(["create", "delete", "get", "list", "patch", "update", "watch"], groups: ["batch"], ["jobs"]),
                .resources(update, groups: ["batch"], ["cronjobs/status"]),
                .resources(update, groups: ["batch"], ["cronjobs/finalizers"]),
                .resources(["delete", "list"], groups: [""], ["pods"]),
                events(),
            ]),
            Role(name: "daemon-set-controller", rules: [
                .resources(read, groups: ["apps", "extensions"], ["daemonsets"]),
                .resources(update, groups: ["apps", "extensions"], ["daemonsets/status"]),
                .resources(update, groups: ["apps", "extensions"], ["daemonsets/finalizers"]),
                .resources(["list", "watch"], groups: [""], ["nodes"]),
                .resources(["create", "delete", "list", "patch", "watch"], groups: [""], ["pods"]),
                .resources(["create"], groups: [""], ["pods/binding"]),
                revisions,
                events(),
            ]),
            Role(name: "deployment-controller", rules: [
                .resources(["get", "list", "update", "watch"], groups: ["apps", "extensions"], ["deployments"]),
                .resources(update, groups: ["apps", "extensions"], ["deployments/status"]),
                .resources(update, groups: ["apps", "extensions"], ["deployments/finalizers"]),
                .resources(["create", "delete", "get", "list", "patch", "update", "watch"], groups: ["apps", "extensions"], ["replicasets"]),
                .resources(["get", "list", "update", "watch"], groups: [""], ["pods"]),
                events(),
            ]),
            Role(name: "disruption-controller", rules: [
                .resources(read, groups: ["apps", "extensions"], ["deployments"]),
                .resources(read, groups: ["apps", "extensions"], ["replicasets"]),
                .resources(read, groups: [""], ["replicationcontrollers"]),
                .resources(read, groups: ["policy"], ["poddisruptionbudgets"]),
                .resources(read, groups: ["apps"], ["statefulsets"]),
                .resources(update, groups: ["policy"], ["poddisruptionbudgets/status"]),
                .resources(["get"], groups: ["*"], ["*/scale"]),
                .resources(["patch", "update"], groups: [""], ["pods/status"]),
                events(),
            ]),
            Role(name: "endpoint-controller", rules: [
                .resources(read, groups: [""], ["pods", "services"]),
                .resources(["create", "delete", "get", "list", "update"], groups: [""], ["endpoints"]),
                .resources(["create"], groups: [""], ["endpoints/restricted"]),
                events(),
            ]),
            Role(name: "endpointslice-controller", rules: [
                .resources(read, groups: [""], ["pods", "services"]),
                .resources(read, groups: [""], ["nodes"]),
                .resources(update, groups: [""], ["services/finalizers"]),
                .resources(["create", "delete", "get", "list", "update"], groups: ["discovery.k8s.io"], ["endpointslices"]),
                events(),
            ]),
            Role(name: "generic-garbage-collector", rules: [
                .resources(["delete", "get", "list", "patch", "update", "watch"], groups: ["*"], ["*"]),
            ]),
            Role(name: "horizontal-pod-autoscaler", rules: [
                .resources(["get", "list", "watch"], groups: ["autoscaling"], ["horizontalpodautoscalers"]),
                .resources(update, groups: ["autoscaling"], ["horizontalpodautoscalers/status"]),
                .resources(["get", "update"], groups: ["*"], ["*/scale"]),
                .resources(["list"], groups: [""], ["pods"]),
                .resources(["list"], groups: ["metrics.k8s.io"], ["pods"]),
                .resources(["get", "list"], groups: ["custom.metrics.k8s.io"], ["*"]),
                .resources(["get", "list"], groups: ["external.metrics.k8s.io"], ["*"]),
                events(),
            ]),
            Role(name: "job-controller", rules: [
                .resources(["get", "list", "patch", "update", "watch"], groups: ["batch"], ["jobs"]),
                .resources(update, groups: ["batch"], ["jobs/status"]),
                .resources(update, groups: ["batch"], ["jobs/finalizers"]),
                pods,
                events(),
            ]),
            Role(name: "namespace-controller", rules: [
                .resources(["delete", "get", "list", "watch"], groups: [""], ["namespaces"]),
                .resources(update, groups: [""], ["namespaces/finalize", "namespaces/status"]),
                .resources(["delete", "deletecollection", "get", "list"], groups: ["*"], ["*"]),
            ]),
            Role(name: "node-controller", rules: [
                .resources(["delete", "get", "list", "patch", "update"], groups: [""], ["nodes"]),
                .resources(["patch", "update"], groups: [""], ["nodes/status"]),
                .resources(["patch", "update"], groups: [""], ["pods/status"]),
                .resources(["delete", "list"], groups: [""], ["pods"]),
                events(),
            ]),
            Role(name: "pod-garbage-collector", rules: [
                .resources(["delete", "list", "watch"], groups: [""], ["pods"]),
                .resources(["get", "list", "watch"], groups: [""], ["nodes"]),
                .resources(["patch"], groups: [""], ["pods/status"]),
            ]),
            Role(name: "replicaset-controller", rules: [
                .resources(["get", "list", "update", "watch"], groups: ["apps", "extensions"], ["replicasets"]),
                .resources(update, groups: ["apps", "extensions"], ["replicasets/status"]),
                .resources(update, groups: ["apps", "extensions"], ["replicasets/finalizers"]),
                pods,
                events(),
            ]),
            Role(name: "persistent-volume-binder", rules: [
                .resources(["create", "delete", "get", "list", "update", "watch"], groups: [""], ["persistentvolumes"]),
                .resources(update, groups: [""], ["persistentvolumes/status"]),
                .resources(["get", "list", "update", "watch"], groups: [""], ["persistentvolumeclaims"]),
                .resources(update, groups: [""], ["persistentvolumeclaims/status"]),
                .resources(["get", "list", "watch"], groups: [""], ["pods"]),
                .resources(["get", "list", "watch"], groups: ["storage.k8s.io"], ["storageclasses"]),
                .resources(["get", "list", "watch"], groups: [""], ["nodes"]),
                events(),
            ]),
            Role(name: "pv-protection-controller", rules: [
                .resources(["get", "list", "watch", "update"], groups: [""], ["persistentvolumes"]),
                events(),
            ]),
            Role(name: "pvc-protection-controller", rules: [
                .resources(["get", "list", "watch", "update"], groups: [""], ["persistentvolumeclaims"]),
                .resources(["list", "watch", "get"], groups: [""], ["pods"]),
                events(),
            ]),
            Role(name: "local-path-provisioner", rules: [
                .resources(["create", "delete", "get", "list", "watch"], groups: [""], ["persistentvolumes"]),
                .resources(["get", "list", "watch"], groups: [""], ["persistentvolumeclaims"]),
                .resources(["create", "get", "list", "watch"], groups: ["storage.k8s.io"], ["storageclasses"]),
                events(),
            ]),
            Role(name: "replication-controller", rules: [
                .resources(["get", "list", "update", "watch"], groups: [""], ["replicationcontrollers"]),
                .resources(update, groups: [""], ["replicationcontrollers/status"]),
                .resources(update, groups: [""], ["replicationcontrollers/finalizers"]),
                pods,
                events(),
            ]),
            Role(name: "resourcequota-controller", rules: [
                .resources(["list", "watch"], groups: ["*"], ["*"]),
                .resources(update, groups: [""], ["resourcequotas/status"]),
                events(),
            ]),
            Role(name: "service-account-controller", rules: [
                .resources(["create"], groups: [""], ["serviceaccounts"]),
                events(),
            ]),
            Role(name: "service-controller", rules: [
                .resources(["get", "list", "watch"], groups: [""], ["services"]),
                .resources(["patch", "update"], groups: [""], ["services/status"]),
                .resources(["list", "watch"], groups: [""], ["nodes"]),
                events(),
            ]),
            Role(name: "statefulset-controller", rules: [
                .resources(["list", "watch"], groups: [""], ["pods"]),
                .resources(["get", "list", "watch"], groups: ["apps"], ["statefulsets"]),
                .resources(update, groups: ["apps"], ["statefulsets/status"]),
                .resources(update, groups: ["apps"], ["statefulsets/finalizers"]),
                .resources(["create", "delete", "get", "patch", "update"], groups: [""], ["pods"]),
                revisions,
                .resources(["create", "get"], groups: [""], ["persistentvolumeclaims"]),
                .resources(["delete", "update"], groups: [""], ["persistentvolumeclaims"]),
                events(),
            ]),
            Role(name: "ephemeral-volume-controller", rules: [
                .resources(["get", "list", "watch"], groups: [""], ["pods"]),
                .resources(update, groups: [""], ["pods/finalizers"]),
                .resources(["get", "list", "watch", "create"], groups: [""], ["persistentvolumeclaims"]),
                events(),
            ]),
            Role(name: "ttl-controller", rules: [
                .resources(["update", "patch", "list", "watch"], groups: [""], ["nodes"]),
                events(),
            ]),
            Role(name: "ttl-after-finished-controller", rules: [
                .resources(["delete", "get", "list", "watch"], groups: ["batch"], ["jobs"]),
                events(),
            ]),
            Role(name: "root-ca-cert-publisher", rules: [
                .resources(["create", "update"], groups: [""], ["configmaps"]),
                events(),
            ]),
        ]
        return roles.map { role in
            var role = role
            role.name = controllerRolePrefix + role.name
            return role
        }
    }()

    /// Each controller role bound to the controller's service account in `kube-system`.
    static let controllerRoleBindings: [Binding] = controllerRoles.map { role in
        let account = String(role.name.dropFirst(controllerRolePrefix.count))
        return Binding(role: role.name, subjects: [RBACBinding.Subject(kind: "ServiceAccount", name: account, namespace: "kube-system")])
    }
}
