import AsyncHTTPClient
import Logging
import NIOCore

/// The network transport: HTTP/1.1 or HTTP/2 (when a TLS server offers it) through
/// async-http-client, to the configuration's server with its TLS settings.
struct HTTPClientTransport: ClientTransport {
    private let http: HTTPClient
    private let baseURL: String
    private let logger: Logger

    /// A transport to `baseURL` (scheme, host and port, no trailing slash).
    init(configuration: ClientConfiguration, baseURL: String, logger: Logger) throws(ConfigurationError) {
        var httpConfiguration = HTTPClient.Configuration(timeout: .init(connect: .seconds(10)))
        httpConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(configuration.maxConnectionsPerHost, 1)
        if baseURL.hasPrefix("https://") {
            httpConfiguration.tlsConfiguration = try configuration.makeTLSConfiguration()
        }
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        self.baseURL = baseURL
        self.logger = logger
    }

    func execute(_ request: TransportRequest, deadline: NIODeadline?) async throws -> TransportResponse {
        var httpRequest = HTTPClientRequest(url: baseURL + request.pathAndQuery)
        httpRequest.method = request.method
        httpRequest.headers = request.headers
        if let body = request.body { httpRequest.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await http.execute(httpRequest, deadline: deadline ?? .distantFuture, logger: logger)
        return TransportResponse(status: response.status, headers: response.headers, body: TransportBody(response.body))
    }

    func shutdown() async throws {
        try await http.shutdown()
    }
}
