import CoreMetrics
import SkiffAPI

/// Counts and times every answered request under upstream's metric names and labels:
/// `apiserver_request_total` (verb, dry_run, group, version, resource, subresource, scope,
/// component, code) and `apiserver_request_duration_seconds` (the same but code).
struct RequestMetricsFilter: RequestFilter {
    let factory: any MetricsFactory

    func respond(to request: HTTPRequest, context: RequestContext, next: RequestResponder) async -> HTTPResponse {
        let start = ContinuousClock.now
        let response = await next(request, context)
        let elapsed = ContinuousClock.now - start
        let labels = Self.labels(request, context.requestInfo)
        Counter(label: "apiserver_request_total", dimensions: labels + [("code", String(response.status.code))], factory: factory).increment()
        Timer(label: "apiserver_request_duration_seconds", dimensions: labels, factory: factory)
            .recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        return response
    }

    static func labels(_ request: HTTPRequest, _ info: RequestInfo) -> [(String, String)] {
        [
            ("verb", verb(request, info)), ("dry_run", request.query["dryRun"] == nil ? "" : "All"),
            ("group", info.apiGroup), ("version", info.apiVersion), ("resource", info.resource),
            ("subresource", info.subresource), ("scope", scope(info)), ("component", "apiserver"),
        ]
    }

    /// Upstream's reported verb: the HTTP method, but `LIST` and `WATCH` for collection reads and
    /// `APPLY` for server-side apply.
    static func verb(_ request: HTTPRequest, _ info: RequestInfo) -> String {
        switch info.verb {
        case "list": return "LIST"
        case "watch": return "WATCH"
        case "patch" where request.contentType == "application/apply-patch+yaml": return "APPLY"
        default: return request.method.rawValue
        }
    }

    static func scope(_ info: RequestInfo) -> String {
        guard info.isResourceRequest else { return "" }
        if !info.name.isEmpty || info.verb == "create" { return "resource" }
        return info.namespace.isEmpty ? "cluster" : "namespace"
    }
}
