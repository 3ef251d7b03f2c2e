import CoreMetrics
import SkiffAPI

/// Counts and times every answered request under upstream's metric names and labels:
/// `apiserver_request_total` (verb, dry_run, group, version, resource, subresource, scope,
/// component, code) and `apiserver_request_duration_seconds` (the same but code); and gauges
/// the requests being served: `apiserver_current_inflight_requests` (request_kind: readOnly or
/// mutating) while a short request is answered, `apiserver_longrunning_requests` (the request
/// labels) while a watch, log, proxy, exec, attach or port-forward streams.
struct RequestMetricsFilter: RequestFilter {
    let factory: any MetricsFactory

    func respond(to request: HTTPRequest, context: RequestContext, next: RequestResponder) async -> HTTPResponse {
        let info = context.requestInfo
        let labels = Self.labels(request, info)
        let kind = RequestInfo.readOnlyVerbs.contains(info.verb) || !info.isResourceRequest ? "readOnly" : "mutating"
        let inFlight = info.isLongRunning ? nil : Meter(label: "apiserver_current_inflight_requests", dimensions: [("request_kind", kind)], factory: factory)
        inFlight?.increment()
        let start = ContinuousClock.now
        var response = await next(request, context)
        let elapsed = ContinuousClock.now - start
        inFlight?.decrement()
        Counter(label: "apiserver_request_total", dimensions: labels + [("code", String(response.status.code))], factory: factory).increment()
        Timer(label: "apiserver_request_duration_seconds", dimensions: labels, factory: factory)
            .recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        if info.isLongRunning {
            response = Self.counted(response, Meter(label: "apiserver_longrunning_requests", dimensions: labels, factory: factory))
        }
        return response
    }

    /// `response` with `gauge` raised while its stream or upgraded connection runs (a long-running
    /// request answered at once, an error, is not counted).
    private static func counted(_ response: HTTPResponse, _ gauge: Meter) -> HTTPResponse {
        var counted = response
        switch response.body {
        case .bytes: return response
        case .stream(let write):
            counted.body = .stream { writer in
                gauge.increment()
                defer { gauge.decrement() }
                try await write(writer)
            }
        case .upgrade(let upgrade):
            counted.body = .upgrade(ConnectionUpgrade { channel in
                let session = try await upgrade.install(channel)
                return {
                    gauge.increment()
                    defer { gauge.decrement() }
                    try await session()
                }
            })
        }
        return counted
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
