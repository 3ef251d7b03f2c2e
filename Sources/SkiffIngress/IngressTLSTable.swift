import SkiffModels

/// Where a TLS certificate comes from: a Secret (`tls.crt`, `tls.key`) in an Ingress's namespace.
public struct IngressSecretReference: Sendable, Hashable {
    public var namespace: String
    public var name: String
}

/// The `spec.tls` sections of a controller's Ingresses (pure): which Secret's certificate a TLS
/// server name gets, and which hosts are served over HTTPS (their plain HTTP requests are
/// redirected). A name matches a section's host exactly (case-insensitive) before a wildcard
/// host (`*.example.com`, one label); a section without hosts matches every name, last. Among
/// equals the oldest Ingress wins, then the first section.
public struct IngressTLSTable: Sendable {
    private struct Entry {
        var host: String?
        var secret: IngressSecretReference?
    }

    private let entries: [Entry]

    public init(ingresses: [NetworkingV1.Ingress]) {
        entries = ingresses.oldestFirst.flatMap { ingress in
            (ingress.spec?.tls ?? []).flatMap { section in
                let secret = section.secretName.map { IngressSecretReference(namespace: ingress.namespace, name: $0) }
                let hosts = section.hosts ?? []
                return hosts.isEmpty ? [Entry(host: nil, secret: secret)] : hosts.map { Entry(host: $0, secret: secret) }
            }
        }
    }

    /// The Secret whose certificate serves `serverName` (the client's SNI); nil: the default certificate.
    public func secret(forServerName serverName: String) -> IngressSecretReference? {
        bestEntry(for: serverName, where: { $0.secret != nil })?.secret
    }

    /// Whether `host` (without its port) is served over HTTPS: a TLS section names it.
    public func servesTLS(host: String) -> Bool {
        bestEntry(for: host, where: { _ in true }) != nil
    }

    private func bestEntry(for name: String, where accepted: (Entry) -> Bool) -> Entry? {
        var best: (match: IngressPathMatcher.HostMatch, entry: Entry)?
        for entry in entries where accepted(entry) {
            guard let match = IngressPathMatcher.match(ruleHost: entry.host, requestHost: name) else { continue }
            if best.map({ match > $0.match }) ?? true { best = (match, entry) }
        }
        return best?.entry
    }
}
