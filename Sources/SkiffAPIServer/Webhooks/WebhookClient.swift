import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import SkiffAPI
import SkiffRegistry

/// Calls a webhook the cluster's objects point at: a `clientConfig` (admission webhooks, CRD
/// conversion) with a `url` or a `service` reference. A service is resolved to a ready endpoint
/// address, as upstream's `--enable-aggregator-routing`, and dialled while the certificate is
/// verified for `<name>.<namespace>.svc`; the server certificate must chain to `caBundle` (the
/// system's roots when it is empty). The body is POSTed as JSON with the webhook's timeout, also
/// sent as the `timeout` query parameter as upstream's client does.
struct WebhookClient: Sendable {
    let registry: Registry
    /// The largest answer read (upstream's limit on webhook responses is of this order).
    static let maximumResponseBytes = 3 * 1024 * 1024

    /// A failed call, worded as upstream's (`Post "https://…": …`).
    struct CallError: Error, CustomStringConvertible {
        var description: String
    }

    /// Where a `clientConfig` leads: the URL to request and, for a service, the endpoint address
    /// its host name (`<name>.<namespace>.svc`) stands for.
    struct Target: Sendable, Equatable {
        var url: String
        var dnsOverride: [String: String] = [:]

        /// The `host:port` dialled, for errors (the endpoint address of a service).
        var dialAddress: String {
            guard let components = URLComponents(string: url), let host = components.host else { return url }
            return "\(dnsOverride[host] ?? host):\(components.port ?? 443)"
        }
    }

    /// POSTs `body` to the webhook and returns the JSON it answers.
    func post(_ body: JSONValue, to clientConfig: JSONValue, timeout: Duration) async throws(CallError) -> JSONValue {
        let target = try await resolve(clientConfig, timeout: timeout)
        return try await send(.POST, body: body, to: target, caBundle: clientConfig["caBundle"]?.stringValue ?? "", timeout: timeout)
    }

    /// Sends one request to `target`, verifying its certificate against `caBundle` (or not at all
    /// with `insecureSkipTLSVerify`), presenting `identity` when given, and returns the JSON it answers.
    func send(_ method: HTTPMethod, body: JSONValue? = nil, headers: HTTPHeaders = [:], to target: Target, caBundle: String,
              insecureSkipTLSVerify: Bool = false, identity: ProxyClientIdentity? = nil, timeout: Duration) async throws(CallError) -> JSONValue {
        var configuration = HTTPClient.Configuration()
        do {
            var tls = try Self.tlsConfiguration(caBundle: caBundle)
            if insecureSkipTLSVerify { tls.certificateVerification = .none }
            try identity?.apply(to: &tls)
            configuration.tlsConfiguration = tls
        } catch {
            throw CallError(description: "unable to load the caBundle or the client certificate: \(error)")
        }
        configuration.dnsOverride = target.dnsOverride
        // A webhook that is down fails the call at once, as upstream's client does, rather than
        // after the timeout spent retrying the connection.
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let result = await Self.call(client, method: method, target: target, body: body, headers: headers, timeout: timeout)
        try? await client.shutdown()
        return try result.get()
    }

    /// One request and its JSON answer; every failure as a `CallError`.
    private static func call(_ client: HTTPClient, method: HTTPMethod, target: Target, body: JSONValue?, headers: HTTPHeaders,
                             timeout: Duration) async -> Result<JSONValue, CallError> {
        let url = target.url
        let verb = method.rawValue.prefix(1) + method.rawValue.dropFirst().lowercased()
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers = headers
        request.headers.add(name: "Accept", value: "application/json, */*")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.serialized()))
        }
        do {
            let response = try await client.execute(request, timeout: .seconds(timeout.components.seconds))
            let bytes = try await response.body.collect(upTo: maximumResponseBytes)
            guard (200..<300).contains(response.status.code) else {
                return .failure(CallError(description: "the server responded with the status code \(response.status.code) but did not return more information"))
            }
            guard let answer = try? JSONValue(parsing: bytes.readableBytesView) else {
                return .failure(CallError(description: "unable to decode the response as JSON"))
            }
            return .success(answer)
        } catch let error as IOError where error.errnoCode == ECONNREFUSED {
            return .failure(CallError(description: "\(verb) \"\(url)\": dial tcp \(target.dialAddress): connect: connection refused"))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return .failure(CallError(description: "\(verb) \"\(url)\": context deadline exceeded"))
        } catch {
            return .failure(CallError(description: "\(verb) \"\(url)\": \(error)"))
        }
    }

    /// The URL (with `?timeout=Ns`) of a `clientConfig`, and the endpoint address of its service.
    func resolve(_ clientConfig: JSONValue, timeout: Duration) async throws(CallError) -> Target {
        let query = "timeout=\(timeout.components.seconds)s"
        if let url = clientConfig["url"]?.stringValue {
            return Target(url: url + (url.contains("?") ? "&" : "?") + query)
        }
        guard let service = clientConfig["service"] else { throw CallError(description: "neither url nor service is set") }
        let namespace = service["namespace"]?.stringValue ?? "", name = service["name"]?.stringValue ?? ""
        let port = service["port"]?.intValue ?? 443
        let address: String, targetPort: Int64
        do {
            (address, targetPort) = try await endpoint(namespace: namespace, name: name, port: port)
        } catch {
            switch error {
            case .serviceNotFound: throw CallError(description: "service \"\(name)\" not found")
            case .portNotFound: throw CallError(description: "no service port \(port) found for service \"\(name)\"")
            case .endpointsNotFound, .noAddresses: throw CallError(description: "no endpoints available for service \"\(name)\"")
            }
        }
        let path = service["path"]?.stringValue ?? ""
        let host = "\(name).\(namespace).svc"
        return Target(url: "https://\(host):\(targetPort)\(path)?\(query)", dnsOverride: [host: address])
    }

    /// Why a service reference leads to no endpoint (upstream's APIService availability reasons).
    enum Unresolved: Error, Equatable {
        case serviceNotFound
        case portNotFound
        case endpointsNotFound
        case noAddresses(portName: String)
    }

    /// A ready address of the service's endpoints and the endpoint port behind the service port
    /// `port` (by the port's name; an unnamed single port matches the only endpoint port).
    func endpoint(namespace: String, name: String, port: Int64) async throws(Unresolved) -> (address: String, port: Int64) {
        let services = registry.store(for: GroupResource(group: "", resource: "services"))
        guard let service = await services?.admissionLookup(namespace: namespace, name: name) else { throw .serviceNotFound }
        let servicePorts = service[path: "spec", "ports"]?.arrayValue ?? []
        guard let servicePort = servicePorts.first(where: { $0["port"]?.intValue == port }) else { throw .portNotFound }
        let portName = servicePort["name"]?.stringValue ?? ""
        let store = registry.store(for: GroupResource(group: "", resource: "endpoints"))
        guard let endpoints = await store?.admissionLookup(namespace: namespace, name: name) else { throw .endpointsNotFound }
        for subset in endpoints["subsets"]?.arrayValue ?? [] {
            let ports = subset["ports"]?.arrayValue ?? []
            let matching = ports.first { ($0["name"]?.stringValue ?? "") == portName }
            guard let endpointPort = matching?["port"]?.intValue,
                  let address = subset["addresses"]?.arrayValue?.first?["ip"]?.stringValue else { continue }
            return (address, endpointPort)
        }
        throw .noAddresses(portName: portName)
    }

    /// TLS trusting the PEM bundle `caBundle` (base64, as the API carries it), or the system's roots.
    static func tlsConfiguration(caBundle: String) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if !caBundle.isEmpty {
            guard let pem = Data(base64Encoded: caBundle) else { throw CallError(description: "caBundle is not base64") }
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem)))
        }
        return configuration
    }
}
