/// Where a proxy subresource sends its requests (upstream's `ResourceLocation`): scheme, host
/// and port of the pod, endpoint or kubelet.
struct ProxyLocation: Sendable, Equatable {
    /// `http` or `https`.
    var scheme: String
    var host: String
    /// Nil for a pod without a declared port (the scheme's default port).
    var port: Int?

    /// `host[:port]`, with an IPv6 host in brackets.
    var authority: String {
        (host.contains(":") ? "[\(host)]" : host) + (port.map { ":\($0)" } ?? "")
    }

    /// `scheme://host[:port]`.
    var origin: String { "\(scheme)://\(authority)" }
}

/// The name of a proxy subresource's object with an optional scheme and port, as upstream's
/// `SplitSchemeNamePort` reads it: `name`, `name:port` or `scheme:name:port`, where the scheme
/// is `http`, `https` or empty and the port a number or a port name.
struct SchemeNamePort: Sendable, Equatable {
    var scheme: String
    var name: String
    var port: String

    /// Nil for more than three parts, an empty name or another scheme.
    init?(_ id: String) {
        let parts = id.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1: (scheme, name, port) = ("", parts[0], "")
        case 2: (scheme, name, port) = ("", parts[0], parts[1])
        case 3: (scheme, name, port) = (parts[0], parts[1], parts[2])
        default: return nil
        }
        guard !name.isEmpty, ["", "http", "https"].contains(scheme) else { return nil }
    }
}
