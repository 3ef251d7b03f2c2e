import NIOHTTP1

/// One request the proxy serves, with what it knows of its connection.
struct ProxyExchange: Sendable {
    var request: HTTPRequestHead
    /// Whether it came over TLS (`X-Forwarded-Proto: https`).
    var secure: Bool
    var clientAddress: String?

    /// The `Host` header without its port, lowercased (HTTP/2's `:authority` arrives as `Host`).
    var host: String { request.headers.first(name: "Host").map(IngressPathMatcher.host(ofHeader:)) ?? "" }

    /// The path without the query.
    var path: String { String(request.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]) }

    /// Whether the connection serves another request after this one. HTTP/2 streams carry one
    /// request each and never say `Connection: close`.
    var keepsAlive: Bool { request.version.major >= 2 || request.isKeepAlive }

    /// The location of this request on HTTPS at `port` (443 is left out).
    func httpsLocation(port: Int) -> String {
        let authority = request.headers.first(name: "Host").map(IngressPathMatcher.host(ofHeader:)) ?? ""
        return "https://\(authority)\(port == 443 ? "" : ":\(port)")\(request.uri)"
    }
}
