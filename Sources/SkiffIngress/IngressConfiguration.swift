/// How an `IngressController` runs: which IngressClass it serves and where it listens.
public struct IngressConfiguration: Sendable {
    /// The node it runs on: `status.loadBalancer.ingress` of its Ingresses is the node's InternalIP.
    public var nodeName: String
    /// The IngressClass it creates and serves.
    public var className = "skiff"
    /// The class's `spec.controller`: a domain-prefixed path, as the API asks.
    public var controllerName = "skiff.dev/ingress"
    /// The address the HTTP proxy listens on.
    public var host = "0.0.0.0"
    /// The HTTP port (0: any free port, reported to `onBound`).
    public var httpPort = 80
    /// The HTTPS port (HTTP/2 by ALPN; 0: any free port; nil: no HTTPS, no redirects).
    public var httpsPort: Int? = 443
    /// When `httpPort` or `httpsPort` is taken, listen on any free port instead (and say which) rather than fail.
    public var anyPortIfTaken = false

    public init(nodeName: String) {
        self.nodeName = nodeName
    }
}
