/// One port of one service as the proxy programs it: where it is reached (ClusterIP, NodePort,
/// load balancer and external IPs), its policies, and its candidate endpoints.
struct ProxiedServicePort: Sendable, Equatable {
    var namespace: String
    var serviceName: String
    /// The port's name (may be empty for a single-port service).
    var portName: String
    /// `tcp`, `udp` or `sctp`, as nftables spells it.
    var l4Protocol: String
    var clusterIP: String?
    var port: Int32
    var nodePort: Int32?
    /// `spec.externalIPs` and `status.loadBalancer.ingress[].ip`: reached like a NodePort.
    var externalIPs: [String]
    /// `sessionAffinity: ClientIP`'s timeout in seconds; nil without affinity.
    var affinityTimeout: Int32?
    /// `internalTrafficPolicy: Local`.
    var internalLocal: Bool
    /// `externalTrafficPolicy: Local` (NodePort and LoadBalancer services).
    var externalLocal: Bool
    /// Every endpoint the slices list for this port, sorted.
    var endpoints: [ProxiedEndpoint]

    /// `namespace/name/protocol/port`, upstream's service port name in chain names.
    var displayName: String { "\(namespace)/\(serviceName)/\(l4Protocol)/\(portName)" }

    /// Endpoints for traffic from anywhere in the cluster.
    var clusterEndpoints: [ProxiedEndpoint] { ProxiedEndpoint.usable(endpoints) }
    /// Endpoints on this node only.
    var localEndpoints: [ProxiedEndpoint] { ProxiedEndpoint.usable(endpoints.filter(\.isLocal)) }
    /// Whether it is reached from outside (a NodePort or an external address).
    var hasExternalTraffic: Bool { nodePort != nil || !externalIPs.isEmpty }
}
