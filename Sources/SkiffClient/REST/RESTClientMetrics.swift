import Metrics

/// client-go's request metrics under upstream's names: `rest_client_requests_total` (code — or
/// `<error>` when no response came —, method, host) and `rest_client_request_duration_seconds`
/// (verb, host), one observation per attempt.
struct RESTClientMetrics: Sendable {
    /// The server's `host:port`.
    let host: String

    init(baseURL: String) {
        host = baseURL.split(separator: "://", maxSplits: 1).last.map(String.init) ?? baseURL
    }

    func observe(method: String, code: Int?, elapsed: Duration) {
        Counter(label: "rest_client_requests_total", dimensions: [("code", code.map(String.init) ?? "<error>"), ("method", method), ("host", host)])
            .increment()
        Timer(label: "rest_client_request_duration_seconds", dimensions: [("verb", method), ("host", host)]).record(duration: elapsed)
    }
}
