import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL
import SkiffAPI

/// Sends a proxy subresource's request (`…/proxy/PATH`, any method) to its location and its
/// answer back, as upstream's upgrade-aware proxy handler does: the client's headers without
/// hop-by-hop ones and without its credentials, the query as sent, `X-Forwarded-Uri`, redirects
/// passed back (not followed) with their `Location` kept behind the proxy, bodies streamed back,
/// upgrades (WebSockets) joined byte for byte. A request for the proxy's root without its
/// trailing slash is redirected to it; a backend that cannot be reached is upstream's
/// `503 ServiceUnavailable` "error trying to reach service".
struct ProxyHandler: Sendable {
    /// The methods a proxy passes on (upstream's `proxyMethods`).
    static let methods: [HTTPMethod] = [.GET, .POST, .PUT, .PATCH, .DELETE, .HEAD, .OPTIONS]
    /// Headers that concern one connection only, never passed on (RFC 9110 §7.6.1).
    static let hopByHop: Set<String> = ["connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
                                        "te", "trailer", "transfer-encoding", "upgrade"]
    /// Answers up to this size (by their `Content-Length`) are passed back whole; longer or
    /// unannounced ones are streamed.
    static let wholeBodyBytes = 1 << 20

    /// The client of every proxy: redirects are the client's business, and backends' serving
    /// certificates are not verified (upstream's proxy transport skips verification as well).
    private static let client: HTTPClient = {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        let configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow, decompression: .disabled)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    let location: ProxyLocation
    let request: HTTPRequest
    /// How many segments of the request path lead up to `proxy` (`/api/v1/nodes/n1/proxy`: 4).
    let prefixSegments: Int

    func handle() async throws -> HTTPResponse {
        guard Self.methods.contains(request.method) else {
            throw APIError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
        let (prefix, backendPath, query) = split()
        if backendPath.isEmpty {
            return HTTPResponse(status: .movedPermanently, headers: ["Location": prefix + "/" + (query.map { "?" + $0 } ?? "")])
        }
        let target = backendPath + (query.map { "?" + $0 } ?? "")
        var headers = Self.forwardedHeaders(request.headers)
        headers.replaceOrAdd(name: "X-Forwarded-Uri", value: prefix + backendPath)
        if Self.isUpgrade(request.headers) {
            guard location.scheme == "http" else { throw APIError.badRequest("upgrades are proxied to http backends only") }
            Self.addUpgradeHeaders(of: request.headers, to: &headers)
            return try await UpgradeProxy(host: location.host, port: location.port ?? 80)
                .forward(method: request.method, target: target, headers: headers)
        }
        var outgoing = HTTPClientRequest(url: location.origin + target)
        outgoing.method = request.method
        outgoing.headers = headers
        if !request.body.isEmpty { outgoing.body = .bytes(request.body) }
        let response: HTTPClientResponse
        do {
            response = try await Self.client.execute(outgoing, timeout: .hours(24))
        } catch {
            throw APIError.serviceUnavailable("error trying to reach service: \(error)")
        }
        return try await answer(response, prefix: prefix)
    }

    /// The request path up to `…/proxy`, the rest (the backend's path, empty for `…/proxy`
    /// itself) and the query, all as the client encoded them.
    private func split() -> (prefix: String, backendPath: String, query: String?) {
        let parts = request.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let segments = parts[0].split(separator: "/", omittingEmptySubsequences: false)
        let prefix = segments.prefix(prefixSegments + 1).joined(separator: "/")
        let rest = segments.count > prefixSegments + 1 ? "/" + segments.dropFirst(prefixSegments + 1).joined(separator: "/") : ""
        return (prefix, rest, parts.count > 1 ? String(parts[1]) : nil)
    }

    /// Whether a request with `headers` asks to switch protocols (`Connection: Upgrade` and `Upgrade`).
    static func isUpgrade(_ headers: HTTPHeaders) -> Bool {
        headers["Connection"].contains { $0.lowercased().contains("upgrade") } && headers.contains(name: "Upgrade")
    }

    /// Adds the `Connection` and `Upgrade` headers of `requestHeaders` (which `forwardedHeaders` drops) to `headers`.
    static func addUpgradeHeaders(of requestHeaders: HTTPHeaders, to headers: inout HTTPHeaders) {
        for name in ["Connection", "Upgrade"] { for value in requestHeaders[name] { headers.add(name: name, value: value) } }
    }

    /// The client's headers the backend gets: not the hop-by-hop ones (nor those `Connection`
    /// names), not the credentials and impersonation the API server consumed, not `Host`.
    static func forwardedHeaders(_ requestHeaders: HTTPHeaders) -> HTTPHeaders {
        let named = Set(requestHeaders["Connection"].flatMap { $0.split(separator: ",").map { $0.trimmingSpaces().lowercased() } })
        var headers = HTTPHeaders()
        for (name, value) in requestHeaders {
            let lower = name.lowercased()
            guard !Self.hopByHop.contains(lower), !named.contains(lower), lower != "authorization", lower != "host", lower != "content-length",
                !lower.hasPrefix("impersonate-")
            else { continue }
            headers.add(name: name, value: value)
        }
        return headers
    }

    private func answer(_ response: HTTPClientResponse, prefix: String) async throws -> HTTPResponse {
        var relayed = try await Self.relay(response, method: request.method)
        if let redirect = response.headers.first(name: "Location") {
            let rewrite = ProxyLocationRewrite(prefix: prefix, backendHost: location.authority,
                                               requestHost: request.headers.first(name: "Host"))
            relayed.headers.replaceOrAdd(name: "Location", value: rewrite.rewrite(redirect))
        }
        return relayed
    }

    /// A backend's answer to a `method` request as the API server's response: its headers
    /// without hop-by-hop ones, a short body whole, a long or unannounced one (a watch) streamed.
    /// `finished` runs once the body was passed on (or failed), to release the backend's client.
    static func relay(_ response: HTTPClientResponse, method: HTTPMethod,
                      finished: @escaping @Sendable () async -> Void = {}) async throws -> HTTPResponse {
        var headers = HTTPHeaders()
        for (name, value) in response.headers where !hopByHop.contains(name.lowercased()) && name.lowercased() != "content-length" {
            headers.add(name: name, value: value)
        }
        let length = response.headers.first(name: "Content-Length").flatMap(Int.init)
        let bodiless = method == .HEAD || [.noContent, .notModified].contains(response.status) || response.status.code < 200
        if bodiless || (length ?? Int.max) <= wholeBodyBytes {
            let body: [UInt8]
            do {
                body = bodiless ? [] : Array(try await response.body.collect(upTo: wholeBodyBytes).readableBytesView)
            } catch {
                await finished()
                throw error
            }
            await finished()
            return HTTPResponse(status: response.status, headers: headers, body: .bytes(body))
        }
        return HTTPResponse(status: response.status, headers: headers, body: .stream { writer in
            do {
                for try await chunk in response.body { try await writer.write(Array(chunk.readableBytesView)) }
            } catch {
                await finished()
                throw error
            }
            await finished()
        })
    }
}
