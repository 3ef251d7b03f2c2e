import SkiffAPI
import SkiffModels

/// A pod as network policies see it: its address, labels and named ports. Only running pods
/// with an IPv4 address on the pod network count (host-network pods are the node's traffic).
struct PolicyPod: Sendable, Hashable {
    /// A `containerPort` with a name.
    struct NamedPort: Sendable, Hashable {
        var name: String
        var l4Protocol: String
        var number: Int32
    }

    var namespace: String
    var name: String
    var ip: String
    var nodeName: String
    var labels: [String: String]
    var namedPorts: [NamedPort]

    /// The pod, if it has an address policies can name.
    init?(_ pod: CoreV1.Pod) {
        guard let ip = pod.status?.podIP, ServicePortTable.isIPv4(ip), pod.spec?.hostNetwork != true,
            !["Succeeded", "Failed"].contains(pod.status?.phase ?? "")
        else { return nil }
        self.namespace = pod.namespace
        self.name = pod.name
        self.ip = ip
        self.nodeName = pod.spec?.nodeName ?? ""
        self.labels = pod.metadata?.labels ?? [:]
        self.namedPorts = (pod.spec?.containers ?? []).flatMap { container in
            (container.ports ?? []).compactMap { port in
                port.name.map { NamedPort(name: $0, l4Protocol: (port.protocol ?? "TCP").lowercased(), number: port.containerPort) }
            }
        }
    }

    /// The number of the container port `name` for `l4Protocol`, if the pod has one.
    func port(named name: String, l4Protocol: String) -> Int32? {
        namedPorts.first { $0.name == name && $0.l4Protocol == l4Protocol }?.number
    }
}
