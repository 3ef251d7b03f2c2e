/// A component the kubelet's own process runs (the API server, the controller manager, … of
/// `skiff up`), published the way upstream's kubelet publishes a static pod: a mirror pod
/// `<name>-<node>` in `kube-system` on the kubelet's first node (see `MirrorPod`).
public struct StaticPod: Sendable, Equatable {
    /// The pod's name before `-<node>`, and its one container's name (`kube-apiserver`).
    public var name: String
    public var labels: [String: String]
    /// `system-node-critical` or `system-cluster-critical`, as upstream's manifests give.
    public var priorityClassName: String
    /// What runs it, shown as the container's command.
    public var command: [String]

    public init(name: String, labels: [String: String], priorityClassName: String, command: [String]) {
        self.name = name
        self.labels = labels
        self.priorityClassName = priorityClassName
        self.command = command
    }

    /// A control-plane component as kubeadm's manifests describe it: labels `component: <name>`
    /// and `tier: control-plane`, priority class `system-node-critical`.
    public static func controlPlane(_ name: String, command: [String]) -> StaticPod {
        StaticPod(name: name, labels: ["component": name, "tier": "control-plane"], priorityClassName: "system-node-critical", command: command)
    }

    /// An add-on as its upstream manifest labels it (`k8s-app: <app>`).
    public static func addOn(_ name: String, app: String, priorityClassName: String, command: [String]) -> StaticPod {
        StaticPod(name: name, labels: ["k8s-app": app], priorityClassName: priorityClassName, command: command)
    }
}
