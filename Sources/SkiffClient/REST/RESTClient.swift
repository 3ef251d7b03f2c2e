import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SkiffAPI

/// Sends requests to one API server (client-go's `rest.RESTClient`): authentication, client-side
/// rate limiting (token bucket of `qps`/`burst`), retries by `RetryPolicy`, and failed responses
/// decoded into `APIError`. The bytes travel over a `ClientTransport`: HTTP (HTTP/2 when a TLS
/// server offers it) unless another transport is given.
///
/// The client owns its transport: call `shutdown()` when done with it.
public final class RESTClient: Sendable {
    public let configuration: ClientConfiguration
    private let transport: any ClientTransport
    private let baseURL: String
    private let limiter: TokenBucketRateLimiter<Int>?
    private let retryPolicy: RetryPolicy
    private let logger: Logger
    private let requestLogger: RequestLogger
    private let metrics: RESTClientMetrics
    /// The largest response body read (lists of many objects can be large).
    private static let maxBodyBytes = 1 << 30

    /// A client of `configuration.server` over HTTP.
    public convenience init(
        configuration: ClientConfiguration, retryPolicy: RetryPolicy = RetryPolicy(),
        logger: Logger = Logger(label: "skiff.client", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws(ConfigurationError) {
        let base = try Self.baseURL(of: configuration)
        try self.init(
            configuration: configuration, transport: HTTPClientTransport(configuration: configuration, baseURL: base, logger: logger),
            retryPolicy: retryPolicy, logger: logger)
    }

    /// A client whose requests travel over `transport`; `configuration.server` names the server
    /// in request logs only.
    public init(
        configuration: ClientConfiguration, transport: any ClientTransport, retryPolicy: RetryPolicy = RetryPolicy(),
        logger: Logger = Logger(label: "skiff.client", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws(ConfigurationError) {
        self.configuration = configuration
        self.transport = transport
        baseURL = try Self.baseURL(of: configuration)
        limiter = configuration.qps > 0 ? TokenBucketRateLimiter(qps: configuration.qps, burst: max(configuration.burst, 1)) : nil
        self.retryPolicy = retryPolicy
        self.logger = logger
        requestLogger = RequestLogger(log: configuration.requestLog)
        metrics = RESTClientMetrics(baseURL: baseURL)
    }

    /// The server URL without trailing slashes; it must be http:// or https://.
    private static func baseURL(of configuration: ClientConfiguration) throws(ConfigurationError) -> String {
        var base = configuration.server
        while base.hasSuffix("/") { base.removeLast() }
        guard base.hasPrefix("https://") || base.hasPrefix("http://") else {
            throw ConfigurationError("server \"\(configuration.server)\" must be an http:// or https:// URL")
        }
        return base
    }

    /// Closes every connection; the client cannot be used afterwards.
    public func shutdown() async throws {
        try await transport.shutdown()
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
    func openStream(_ request: APIRequest) async throws -> TransportResponse {
        var streaming = request
        streaming.isStreaming = true
        return try await perform(streaming) { $0 }
    }

    /// The retry loop around one request; `read` turns a successful response into the result.
    private func perform<Result>(
        _ request: APIRequest, read: (TransportResponse) async throws -> Result
    ) async throws -> Result {
        let retriesConnectionFailures = request.method == .GET || request.method == .HEAD
        var attempt = 0
        while true {
            try await waitForRateLimiter()
            let response: TransportResponse
            let start = ContinuousClock.now
            do {
                let transportRequest = try await makeTransportRequest(request)
                requestLogger.sending(request.method, url: url(of: request), headers: transportRequest.headers, body: request.body)
                response = try await transport.execute(transportRequest, deadline: deadline(for: request))
                let elapsed = ContinuousClock.now - start
                requestLogger.received(request.method, url: url(of: request), status: response.status, headers: response.headers, elapsed: elapsed)
                metrics.observe(method: request.method.rawValue, code: Int(response.status.code), elapsed: elapsed)
            } catch {
                let elapsed = ContinuousClock.now - start
                requestLogger.received(request.method, url: url(of: request), status: nil, headers: [:], elapsed: elapsed)
                metrics.observe(method: request.method.rawValue, code: nil, elapsed: elapsed)
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

    private func deadline(for request: APIRequest) -> NIODeadline? {
        guard !request.isStreaming, let timeout = configuration.timeout else { return nil }
        return .now() + .nanoseconds(timeout.nanoseconds)
    }

    private func makeTransportRequest(_ request: APIRequest) async throws -> TransportRequest {
        var headers: HTTPHeaders = ["Accept": request.accept ?? "application/json", "User-Agent": configuration.userAgent]
        if let authorization = try await authorizationHeader() { headers.add(name: "Authorization", value: authorization) }
        for header in configuration.impersonate?.headers ?? [] { headers.add(name: header.name, value: header.value) }
        if request.body != nil { headers.add(name: "Content-Type", value: request.contentType ?? "application/json") }
        return TransportRequest(method: request.method, pathAndQuery: request.pathAndQuery, headers: headers, body: request.body)
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

    private static func collect(_ body: TransportBody) async throws -> [UInt8] {
        do {
            return try await body.collect(upTo: maxBodyBytes)
        } catch {
            if error is CancellationError || Task.isCancelled { throw CancellationError() }
            throw ClientError(.transport, "reading the response failed", underlying: error)
        }
    }
}
