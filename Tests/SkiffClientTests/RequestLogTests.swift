import NIOHTTP1
import SkiffAPI
import Synchronization
import Testing

@testable import SkiffClient

/// Collects the lines a request log writes.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func log(verbosity: Int) -> RequestLog {
        RequestLog(verbosity: verbosity) { line in self.lines.withLock { $0.append(line) } }
    }
}

/// The request log's levels, masking and truncation (client-go's round trippers at `-v N`).
struct RequestLogTests {
    let url = "http://127.0.0.1:6443/api/v1/namespaces/default/configmaps"
    let requestHeaders: HTTPHeaders = ["Accept": "application/json", "Authorization": "Bearer s3cr3t"]
    let responseHeaders: HTTPHeaders = ["Content-Type": "application/json", "Content-Length": "2"]

    func exchange(verbosity: Int) -> [String] {
        let lines = LogLines()
        let logger = RequestLogger(log: lines.log(verbosity: verbosity))
        logger.sending(.POST, url: url, headers: requestHeaders, body: Array(#"{"a":1}"#.utf8))
        logger.received(.POST, url: url, status: .created, headers: responseHeaders, elapsed: .milliseconds(15))
        logger.receivedBody(Array("{}".utf8))
        return lines.all
    }

    @Test func nothingBelowSix() {
        #expect(exchange(verbosity: 0).isEmpty)
        #expect(exchange(verbosity: 5).isEmpty)
    }

    @Test func sixLogsMethodURLStatusAndLatency() {
        #expect(exchange(verbosity: 6) == ["POST \(url) 201 Created in 15 milliseconds"])
    }

    @Test func sevenLogsRequestHeadersMaskedAndTheStatus() {
        #expect(exchange(verbosity: 7) == [
            "POST \(url)", "Request Headers:", "    Accept: application/json", "    Authorization: Bearer <masked>",
            "Response Status: 201 Created in 15 milliseconds",
        ])
    }

    @Test func eightAddsResponseHeadersAndBodies() {
        #expect(exchange(verbosity: 8) == [
            "POST \(url)", "Request Headers:", "    Accept: application/json", "    Authorization: Bearer <masked>",
            #"Request Body: {"a":1}"#,
            "Response Status: 201 Created in 15 milliseconds", "Response Headers:",
            "    Content-Type: application/json", "    Content-Length: 2", "Response Body: {}",
        ])
    }

    @Test func aFailedRequestHasNoStatus() {
        let lines = LogLines()
        RequestLogger(log: lines.log(verbosity: 6)).received(.GET, url: url, status: nil, headers: [:], elapsed: .milliseconds(3))
        #expect(lines.all == ["GET \(url)  in 3 milliseconds"])
    }

    @Test func credentialsAreMaskedLikeClientGo() {
        #expect(RequestLog.masked(header: "Authorization", value: "Bearer abc") == "Bearer <masked>")
        #expect(RequestLog.masked(header: "authorization", value: "Basic dXNlcjpw") == "Basic <masked>")
        #expect(RequestLog.masked(header: "Authorization", value: "Bearer") == "Bearer")
        #expect(RequestLog.masked(header: "Authorization", value: "Custom xyz") == "<masked>")
        #expect(RequestLog.masked(header: "Authorization", value: "") == "")
        #expect(RequestLog.masked(header: "User-Agent", value: "kubectl") == "kubectl")
    }

    @Test func bodiesAreTruncatedByVerbosity() {
        let body = Array(String(repeating: "x", count: 20_000).utf8)
        let lines = LogLines()
        #expect(lines.log(verbosity: 8).truncated(body) == String(repeating: "x", count: 1_024) + " [truncated 18976 chars]")
        #expect(lines.log(verbosity: 9).truncated(body) == String(repeating: "x", count: 10_240) + " [truncated 9760 chars]")
        #expect(lines.log(verbosity: 10).truncated(body).count == 20_000)
        #expect(lines.log(verbosity: 8).truncated(Array("short".utf8)) == "short")
    }

    @Test func klogLayout() {
        let time = Timestamp(seconds: 1_796_532_640, nanoseconds: 123_456_000)  // 2026-12-06T04:50:40.123456Z
        #expect(RequestLog.klogLine("GET /api", at: time, pid: 4242, source: "skiff-client")
            == "I1206 04:50:40.123456    4242 skiff-client] GET /api")
    }

    @Test func verbosityFromTheEnvironment() {
        #expect(ClientConfiguration.environmentVerbosity(["SKIFF_CLIENT_VERBOSITY": "8"]) == 8)
        #expect(ClientConfiguration.environmentVerbosity(["SKIFF_CLIENT_VERBOSITY": "loud"]) == 0)
        #expect(ClientConfiguration.environmentVerbosity([:]) == 0)
    }
}
