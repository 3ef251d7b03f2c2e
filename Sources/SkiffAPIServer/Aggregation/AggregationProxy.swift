import AsyncHTTPClient
import NIOHTTP1
import NIOSSL
import SkiffAPI
import SkiffRegistry

/// Upstream's aggregator proxy: a request under `/apis/<group>/<version>` whose APIService
/// (`<version>.<group>`) names a `service` goes to that extension server, once the main server
/// authenticated and authorized the user as for any request. The service is resolved to an
/// endpoint as for webhooks (`WebhookClient.endpoint`) and dialled over TLS, verified against the
/// APIService's `caBundle` for `<name>.<namespace>.svc` (or not, with `insecureSkipTLSVerify`),
/// presenting the front-proxy client certificate and the user in the identity headers
/// (`FrontProxyHeaders`); the answer, a watch included, is streamed back. An upgrade request
/// (`Connection: Upgrade`, exec-style streams) goes through `UpgradeProxy` over the same TLS and,
/// once the server switches protocols, the two connections are joined. An APIService that is
/// not `Available`, or whose service has no endpoint, answers upstream's plain-text
/// `503 service unavailable`; an extension server that cannot be reached, 503 with the error.
struct AggregationProxy: Sendable {
    let registry: Registry
    let resolver: WebhookClient
    let identity: ProxyClientIdentity?

    /// The APIService store, by its one served version: every request to a non-core group asks
    /// here, and a lookup by version is a dictionary read where one by group resource scans
    /// every store for the preferred version.
    static let apiServices = GroupVersionResource(group: "apiregistration.k8s.io", version: "v1", resource: "apiservices")

    /// What each APIService asked about says, decoded once per version of the object.
    let remoteAPIServices = RemoteAPIServices()

    /// The APIService of `groupVersion` when an extension server serves it; nil for local ones
    /// and for group versions no APIService names.
    func apiService(for groupVersion: GroupVersion) -> JSONValue? {
        guard let store = registry.store(for: Self.apiServices) else { return nil }
        let key = store.info.key(namespace: nil, name: "\(groupVersion.version).\(groupVersion.group)")
        return remoteAPIServices.apiService(key: key, object: store.cache.object(forKey: key))
    }

    /// Sends `request` of `user` to the extension server of `apiService` and its answer back.
    func forward(_ request: HTTPRequest, user: UserInfo, apiService: JSONValue) async -> HTTPResponse {
        let conditions = apiService[path: "status", "conditions"]?.arrayValue ?? []
        guard conditions.contains(where: { $0["type"]?.stringValue == "Available" && $0["status"]?.stringValue == "True" }) else {
            return Self.failure("service unavailable", status: .serviceUnavailable)
        }
        let service = apiService[path: "spec", "service"] ?? .null
        let namespace = service["namespace"]?.stringValue ?? "", name = service["name"]?.stringValue ?? ""
        guard let endpoint = try? await resolver.endpoint(namespace: namespace, name: name, port: service["port"]?.intValue ?? 443) else {
            return Self.failure("service unavailable", status: .serviceUnavailable)
        }
        let host = "\(name).\(namespace).svc"
        var headers = FrontProxyHeaders.setting(user, on: ProxyHandler.forwardedHeaders(request.headers))
        if ProxyHandler.isUpgrade(request.headers) {
            ProxyHandler.addUpgradeHeaders(of: request.headers, to: &headers)
            do {
                let context = try NIOSSLContext(configuration: tlsConfiguration(apiService: apiService))
                return try await UpgradeProxy(host: endpoint.address, port: Int(endpoint.port), tls: context, serverHostname: host)
                    .forward(method: request.method, target: request.uri, headers: headers)
            } catch {
                return Self.failure("\(error)", status: .serviceUnavailable)
            }
        }
        let client: HTTPClient
        do {
            client = try makeClient(apiService: apiService, dnsOverride: [host: endpoint.address])
        } catch {
            return Self.failure("\(error)", status: .internalServerError)
        }
        var outgoing = HTTPClientRequest(url: "https://\(host):\(endpoint.port)\(request.uri)")
        outgoing.method = request.method
        outgoing.headers = headers
        if !request.body.isEmpty { outgoing.body = .bytes(request.body) }
        do {
            let response = try await client.execute(outgoing, timeout: .hours(24))
            return try await ProxyHandler.relay(response, method: request.method) { try? await client.shutdown() }
        } catch {
            try? await client.shutdown()
            return Self.failure("\(error)", status: .serviceUnavailable)
        }
    }

    /// A client for one request: the APIService's trust, the front-proxy identity, redirects
    /// passed back rather than followed.
    private func makeClient(apiService: JSONValue, dnsOverride: [String: String]) throws -> HTTPClient {
        var configuration = HTTPClient.Configuration(tlsConfiguration: try tlsConfiguration(apiService: apiService),
                                                     redirectConfiguration: .disallow, decompression: .disabled)
        configuration.dnsOverride = dnsOverride
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// TLS to the extension server of `apiService`: its `caBundle` (none with
    /// `insecureSkipTLSVerify`), presenting the front-proxy certificate.
    private func tlsConfiguration(apiService: JSONValue) throws -> TLSConfiguration {
        var tls = try WebhookClient.tlsConfiguration(caBundle: apiService[path: "spec", "caBundle"]?.stringValue ?? "")
        if apiService[path: "spec", "insecureSkipTLSVerify"]?.boolValue == true { tls.certificateVerification = .none }
        try identity?.apply(to: &tls)
        return tls
    }

    /// Upstream's `proxyError`: Go's `http.Error`, a plain-text line.
    static func failure(_ message: String, status: HTTPResponseStatus) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff"],
                     body: .bytes(Array((message + "\n").utf8)))
    }
}
