import NIOHTTP1
import SkiffAPI

/// What a client logs of its requests at each verbosity, as client-go's debugging round tripper
/// and request bodies at `kubectl -v N`: 6 one line per request with method, URL, status and
/// latency; 7 the method and URL, the request headers and the response status instead; 8 also the
/// response headers and both bodies (truncated). `Authorization` values are masked.
struct RequestLogger: Sendable {
    let log: RequestLog

    /// Before sending: at 7 and above the method and URL and the headers, at 8 the body.
    func sending(_ method: HTTPMethod, url: String, headers: HTTPHeaders, body: [UInt8]?) {
        guard log.isEnabled(7) else { return }
        log.log("\(method.rawValue) \(url)", at: 7)
        log.log("Request Headers:", at: 7)
        for (name, value) in headers {
            log.log("    \(name): \(RequestLog.masked(header: name, value: value))", at: 7)
        }
        if let body { log.log("Request Body: \(log.truncated(body))", at: 8) }
    }

    /// Once the response's head arrived (`status` nil when the request failed to get one).
    func received(_ method: HTTPMethod, url: String, status: HTTPResponseStatus?, headers: HTTPHeaders, elapsed: Duration) {
        guard log.isEnabled(6) else { return }
        let statusText = status.map { "\($0.code) \($0.reasonPhrase)" } ?? ""
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        guard log.isEnabled(7) else {
            log.log("\(method.rawValue) \(url) \(statusText) in \(milliseconds) milliseconds", at: 6)
            return
        }
        log.log("Response Status: \(statusText) in \(milliseconds) milliseconds", at: 7)
        guard log.isEnabled(8) else { return }
        log.log("Response Headers:", at: 8)
        for (name, value) in headers {
            log.log("    \(name): \(RequestLog.masked(header: name, value: value))", at: 8)
        }
    }

    /// A response body read in full, at 8 and above.
    func receivedBody(_ body: [UInt8]) {
        log.log("Response Body: \(log.truncated(body))", at: 8)
    }
}
