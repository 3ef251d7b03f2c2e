/// Rewrites a backend's `Location` header so that a redirect stays behind the proxy, as
/// upstream's proxy transport does: a path on the backend's own host (or with no host) gets the
/// proxy's prefix (`/login` → `/api/v1/namespaces/x/services/web:80/proxy/login`); relative
/// paths and other hosts are left alone.
struct ProxyLocationRewrite: Sendable {
    /// The proxy's path up to and including `…/proxy`.
    let prefix: String
    /// The backend's `host:port`.
    let backendHost: String
    /// The `Host` the client sent to the API server.
    let requestHost: String?

    func rewrite(_ location: String) -> String {
        var rest = Substring(location)
        var origin = ""
        var host = ""
        if let schemeEnd = rest.range(of: "://"), !rest[..<schemeEnd.lowerBound].contains("/") {
            let authorityEnd = rest[schemeEnd.upperBound...].firstIndex { "/?#".contains($0) } ?? rest.endIndex
            host = String(rest[schemeEnd.upperBound..<authorityEnd])
            origin = String(rest[..<authorityEnd])
            rest = rest[authorityEnd...]
        }
        let pathEnd = rest.firstIndex { "?#".contains($0) } ?? rest.endIndex
        let path = rest[..<pathEnd]
        let tail = rest[pathEnd...]
        let differentHost = !host.isEmpty && host != backendHost && host != requestHost
        guard !differentHost, path.hasPrefix("/") else { return location }
        // The client's own host stays; the backend's is dropped, leaving a path on the API server.
        let keptOrigin = host == requestHost ? origin : ""
        guard !path.hasPrefix(prefix) else { return keptOrigin + path + tail }
        return keptOrigin + prefix + path + tail
    }
}
