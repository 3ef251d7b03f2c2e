import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SkiffAPI

/// Sends requests to one API server (client-go's `rest.RESTClient`): authentication, client-side
/// rate limiting (token bucket of `qps`/`burst`), retries by `RetryPolicy`, and failed responses
/// decoded into `APIError`. HTTP/2 is used when a TLS server offers it.
///
/// The client owns connections: call `shutdown()` when done with it.
public final class RESTClient: Sendable {
    public let configuration: ClientConfiguration
    let http: HTTPClient
    private let baseURL: String
    private let limiter: TokenBucketRateLimiter<Int>?
    private let retryPolicy: RetryPolicy
    private let logger: Logger
    private let requestLogger: RequestLogger
    /// The largest response body read (lists of many objects can be large).
    private static let maxBodyBytes = 1 << 30

    public init(
        configuration: ClientConfiguration, retryPolicy: RetryPolicy = RetryPolicy(),
        logger: Logger = Logger(label: "skiff.client", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws(ConfigurationError) {
        var base = configuration.server
        while base.hasSuffix("/") { base.removeLast() }
        guard base.hasPrefix("https://") || base.hasPrefix("http://") else {
            throw ConfigurationError("server \"\(configuration.server)\" must be an http:// or https:// URL")
        }
        var httpConfiguration = HTTPClient.Configuration(timeout: .init(connect: .seconds(10)))
        httpConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(configuration.maxConnectionsPerHost, 1)
        if base.hasPrefix("https://") {
            httpConfiguration.tlsConfiguration = try configuration.makeTLSConfiguration()
        }
        self.configuration = configuration
        baseURL = base
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        limiter = configuration.qps > 0 ? TokenBucketRateLimiter(qps: configuration.qps, burst: max(configuration.burst, 1)) : nil
        self.retryPolicy = retryPolicy
        self.logger = logger
        requestLogger = RequestLogger(log: configuration.requestLog)
    }

    /// Closes every connection; the client cannot be used afterwards.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Sends `request` and reads the whole response. A failed response throws `APIError`;
    /// a transport failure throws `ClientError`.
    @discardableResult
    public func send(_ request: APIRequest) async throws -> APIResponse {
        try await perform(request) { response in
            let body = try await Self.collect(response.body)
            requestLogger.receivedBody(body)
            return APIResponse(statusCode: Int(response.status.code), headers: response.headers, body: body)
        }
    }

    /// Sends a streaming request (a watch) and returns the response once its headers arrived with
    /// a success code; the caller reads the body. A failed response throws `APIError`.
    func openStream(_ request: APIRequest) async throws -> HTTPClientResponse {
        var streaming = request
        streaming.isStreaming = true
        return try await perform(streaming) { $0 }
    }

    /// The retry loop around one request; `read` turns a successful response into the result.
    private func perform<Result>(
        _ request: APIRequest, read: (HTTPClientResponse) async throws -> Result
    ) async throws -> Result {
        let retriesConnectionFailures = request.method == .GET || request.method == .HEAD
        var attempt = 0
        while true {
            try await waitForRateLimiter()
            let response: HTTPClientResponse
            let start = ContinuousClock.now
            do {
                let httpRequest = try await makeHTTPRequest(request)
                requestLogger.sending(request.method, url: httpRequest.url, headers: httpRequest.headers, body: request.body)
                response = try await http.execute(httpRequest, deadline: deadline(for: request), logger: logger)
                requestLogger.received(
                    request.method, url: httpRequest.url, status: response.status, headers: response.headers, elapsed: ContinuousClock.now - start)
            } catch {
                requestLogger.received(request.method, url: url(of: request), status: nil, headers: [:], elapsed: ContinuousClock.now - start)
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                guard retriesConnectionFailures, attempt < retryPolicy.maxRetries else {
                    throw ClientError(.transport, "\(request.method) \(request.pathAndQuery)", underlying: error)
                }
                attempt += 1
                logger.debug("retrying after a connection failure", metadata: ["path": "\(request.path)", "error": "\(error)"])
                try await Task.sleep(for: retryPolicy.backoff(attempt: attempt))
                continue
            }
            let code = Int(response.status.code)
            if (200..<300).contains(code) {
                return try await read(response)
            }
            let body = try await Self.collect(response.body)
            requestLogger.receivedBody(body)
            let retryAfter = response.headers.first(name: "Retry-After")
            if code == 429 || (code >= 500 && retryAfter != nil), attempt < retryPolicy.maxRetries {
                attempt += 1
                logger.debug("retrying as the server asked", metadata: ["path": "\(request.path)", "code": "\(code)"])
                try await Task.sleep(for: retryPolicy.retryAfter(retryAfter))
                continue
            }
            throw APIError(statusCode: code, body: body)
        }
    }

    private func waitForRateLimiter() async throws {
        guard let limiter else { return }
        let delay = limiter.when(0)
        if delay > .zero { try await Task.sleep(for: delay) }
    }

    private func deadline(for request: APIRequest) -> NIODeadline {
        guard !request.isStreaming, let timeout = configuration.timeout else { return .distantFuture }
        return .now() + .nanoseconds(timeout.nanoseconds)
    }

    private func makeHTTPRequest(_ request: APIRequest) async throws -> HTTPClientRequest {
        var http = HTTPClientRequest(url: url(of: request))
        http.method = request.method
        http.headers.add(name: "Accept", value: "application/json")
        http.headers.add(name: "User-Agent", value: configuration.userAgent)
        if let authorization = try await authorizationHeader() { http.headers.add(name: "Authorization", value: authorization) }
        for header in configuration.impersonate?.headers ?? [] { http.headers.add(name: header.name, value: header.value) }
        if let body = request.body {
            http.headers.add(name: "Content-Type", value: request.contentType ?? "application/json")
            http.body = .bytes(ByteBuffer(bytes: body))
        }
        return http
    }

    private func url(of request: APIRequest) -> String {
        baseURL + request.pathAndQuery
    }

    /// `Bearer TOKEN` (from the token source, or the token file read each time, so rotated tokens
    /// are picked up) or `Basic`.
    private func authorizationHeader() async throws -> String? {
        if let source = configuration.bearerTokenSource { return "Bearer " + (try await source.token()) }
        if let file = configuration.bearerTokenFile {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ClientError(.invalidRequest, "cannot read the token file \(file)")
            }
            return "Bearer " + String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let token = configuration.bearerToken, !token.isEmpty { return "Bearer " + token }
        if let username = configuration.username {
            return "Basic " + Data("\(username):\(configuration.password ?? "")".utf8).base64EncodedString()
        }
        return nil
    }

    private static func collect(_ body: HTTPClientResponse.Body) async throws -> [UInt8] {
        do {
            return Array(buffer: try await body.collect(upTo: maxBodyBytes))
        } catch {
            if error is CancellationError || Task.isCancelled { throw CancellationError() }
            throw ClientError(.transport, "reading the response failed", underlying: error)
        }
    }
}
