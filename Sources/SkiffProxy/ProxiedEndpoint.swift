/// One backend of a service port: an address and port from an EndpointSlice, with its
/// conditions and whether it runs on the proxy's node.
struct ProxiedEndpoint: Sendable, Hashable, Comparable {
    var ip: String
    var port: Int32
    var ready: Bool
    var serving: Bool
    var terminating: Bool
    var isLocal: Bool

    /// `ip:port`, as DNAT targets it.
    var address: String { "\(ip):\(port)" }

    static func < (lhs: ProxiedEndpoint, rhs: ProxiedEndpoint) -> Bool {
        (lhs.ip, lhs.port) < (rhs.ip, rhs.port)
    }

    /// The endpoints traffic may go to, as upstream's `CategorizeEndpoints` picks them: the
    /// ready ones; if none is ready, those still serving while they terminate (so connections
    /// drain during a rolling update instead of failing).
    static func usable(_ endpoints: [ProxiedEndpoint]) -> [ProxiedEndpoint] {
        let ready = endpoints.filter(\.ready)
        return ready.isEmpty ? endpoints.filter { $0.serving && $0.terminating } : ready
    }
}
