import SkiffAPI

/// Logs every answered request (upstream's `httplog`): at verbosity 3 and above one `"HTTP"` line
/// with the verb as the request metrics report it, the URI, the latency, the user agent and the
/// response code; at 7 the request headers (credentials masked); at 8 the request and response
/// bodies, truncated as client-go truncates them (a Skiff addition: upstream logs no bodies).
struct RequestLogFilter: RequestFilter {
    let log: RequestLog

    func respond(to request: HTTPRequest, context: RequestContext, next: RequestResponder) async -> HTTPResponse {
        let start = ContinuousClock.now
        let response = await next(request, context)
        guard log.isEnabled(3) else { return response }
        let verb = RequestMetricsFilter.verb(request, context.requestInfo)
        let userAgent = request.headers.first(name: "User-Agent") ?? ""
        log.log(
            "\"HTTP\" verb=\"\(verb)\" URI=\"\(request.uri)\" latency=\"\(Self.latency(ContinuousClock.now - start))\" userAgent=\"\(userAgent)\" resp=\(response.status.code)",
            at: 3)
        log.log("Request Headers:", at: 7)
        for (name, value) in request.headers {
            log.log("    \(name): \(RequestLog.masked(header: name, value: value))", at: 7)
        }
        if !request.body.isEmpty { log.log("Request Body: \(log.truncated(request.body))", at: 8) }
        if case .bytes(let body) = response.body, !body.isEmpty { log.log("Response Body: \(log.truncated(body))", at: 8) }
        return response
    }

    /// Go's rendering of a duration as httplog prints it: `1.234567ms`, `12.5µs`, `1.5s`.
    static func latency(_ duration: Duration) -> String {
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        switch nanoseconds {
        case ..<1_000: return "\(nanoseconds)ns"
        case ..<1_000_000: return decimal(nanoseconds, unit: 1_000) + "µs"
        case ..<1_000_000_000: return decimal(nanoseconds, unit: 1_000_000) + "ms"
        default: return decimal(nanoseconds, unit: 1_000_000_000) + "s"
        }
    }

    /// `value / unit` with the fraction's trailing zeros dropped, as Go prints durations.
    private static func decimal(_ value: Int64, unit: Int64) -> String {
        let whole = value / unit
        var fraction = String(value % unit)
        let digits = String(unit - 1).count
        fraction = String(repeating: "0", count: digits - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
    }
}
