import SkiffAPI
import SkiffModels

/// Where a request goes: the backend of the Ingress rule (or default backend) it matched.
public struct IngressRoute: Sendable, Equatable {
    /// The Ingress's namespace: its service backends are there.
    public var namespace: String
    public var backend: NetworkingV1.IngressBackend
}

/// The routes of a controller's Ingresses (pure). A request goes to the path that matches it
/// most specifically: first the rule's host (exact, then wildcard, then rules without a host),
/// then the longest path, then `Exact` over `Prefix`; among equals, the oldest Ingress (then by
/// namespace and name). A request no rule matches goes to the oldest Ingress's
/// `defaultBackend`, if any has one.
public struct RouteTable: Sendable {
    private struct Candidate {
        var namespace: String
        var host: String?
        var path: NetworkingV1.HTTPIngressPath
    }

    private let candidates: [Candidate]
    private let defaultRoute: IngressRoute?

    public init(ingresses: [NetworkingV1.Ingress]) {
        let ordered = ingresses.oldestFirst
        candidates = ordered.flatMap { ingress in
            (ingress.spec?.rules ?? []).flatMap { rule in
                (rule.http?.paths ?? []).map { Candidate(namespace: ingress.namespace, host: rule.host, path: $0) }
            }
        }
        defaultRoute = ordered.lazy.compactMap { ingress in
            ingress.spec?.defaultBackend.map { IngressRoute(namespace: ingress.namespace, backend: $0) }
        }.first
    }

    /// The route of a request for `host` (no port) and `path`; nil: 404.
    public func route(host: String, path: String) -> IngressRoute? {
        var best: (score: (IngressPathMatcher.HostMatch, Int, Bool), route: IngressRoute)?
        for candidate in candidates {
            guard let hostMatch = IngressPathMatcher.match(ruleHost: candidate.host, requestHost: host),
                IngressPathMatcher.matches(pathType: candidate.path.pathType, path: candidate.path.path, requestPath: path)
            else { continue }
            let score = (hostMatch, (candidate.path.path ?? "").count, candidate.path.pathType == "Exact")
            if best.map({ Self.isBetter(score, than: $0.score) }) ?? true {
                best = (score, IngressRoute(namespace: candidate.namespace, backend: candidate.path.backend))
            }
        }
        return best?.route ?? defaultRoute
    }

    private static func isBetter(_ score: (IngressPathMatcher.HostMatch, Int, Bool), than other: (IngressPathMatcher.HostMatch, Int, Bool)) -> Bool {
        if score.0 != other.0 { return score.0 > other.0 }
        if score.1 != other.1 { return score.1 > other.1 }
        return score.2 && !other.2
    }
}
