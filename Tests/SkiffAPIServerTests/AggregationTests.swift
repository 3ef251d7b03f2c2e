import Foundation
import NIOHTTP1
import SkiffAPI
@testable import SkiffAPIServer
import SkiffPKI
import SkiffRegistry
import SkiffTesting
import Testing

/// The aggregation layer: the front-proxy identity headers, the request header authenticator,
/// discovery merging, and requests proxied to an extension server (`ExtensionServerService`)
/// behind a selector-less service on loopback.
@Suite struct AggregationTests {
    static let group = "wardle.example.com"
    static let flunders = "/apis/wardle.example.com/v1alpha1/namespaces/default/flunders"

    @Test func identityHeadersReplaceTheClientsOwn() {
        let user = UserInfo(name: "jane", groups: ["dev", "system:authenticated"], extra: ["example.org/scope": ["a", "b"], "x%y": ["z"]])
        let headers = FrontProxyHeaders.setting(user, on: ["X-Remote-User": "mallory", "x-remote-extra-sneaky": "1", "Accept": "application/json"])
        #expect(headers["X-Remote-User"] == ["jane"])
        #expect(headers["X-Remote-Group"] == ["dev", "system:authenticated"])
        #expect(headers["X-Remote-Extra-example.org%2Fscope"] == ["a", "b"])
        #expect(headers["X-Remote-Extra-x%25y"] == ["z"])
        #expect(headers["X-Remote-Extra-sneaky"].isEmpty)
        #expect(headers["Accept"] == ["application/json"])
    }

    @Test func apiServicesAreDecodedAgainAfterEachWrite() {
        struct Plain: ResourceStrategy {}
        let lookups = RemoteAPIServices()
        let key = "/registry/apiregistration.k8s.io/apiservices/v1alpha1.wardle.example.com"
        let metadata: JSONValue = ["name": "v1alpha1.wardle.example.com"]
        let local = CachedObject(key: key, object: ["metadata": metadata, "spec": ["group": "wardle.example.com"]], revision: 1, strategy: Plain())
        #expect(lookups.apiService(key: key, object: local) == nil)
        #expect(lookups.apiService(key: key, object: local) == nil, "asked again, the same object")
        let remote = CachedObject(key: key, object: ["metadata": metadata, "spec": ["service": ["namespace": "wardle", "name": "api"]]],
                                  revision: 2, strategy: Plain())
        #expect(lookups.apiService(key: key, object: remote)?[path: "spec", "service", "name"] == "api")
        #expect(lookups.apiService(key: key, object: local) == nil, "a local object again")
        #expect(lookups.apiService(key: key, object: nil) == nil, "deleted")
    }

    @Test func requestHeadersAreTrustedOnlyFromTheFrontProxyCertificate() async throws {
        let now = Date()
        let frontProxy = try CertificateAuthority.create(commonName: "front-proxy-ca", now: now)
        let proxy = try frontProxy.issue(.init(name: "p", commonName: "front-proxy-client", usage: .client), now: now)
        let other = try frontProxy.issue(.init(name: "o", commonName: "someone-else", usage: .client), now: now)
        let stranger = try CertificateAuthority.create(commonName: "kubernetes", now: now)
            .issue(.init(name: "p", commonName: "front-proxy-client", usage: .client), now: now)
        let authenticator = try RequestHeaderAuthenticator(ExtensionAuthentication(
            clientCAPEM: "", requestHeaderCAPEM: frontProxy.keyPair.certificatePEM(), allowedNames: ["front-proxy-client"]))
        func request(_ pair: KeyPair?) -> HTTPRequest {
            var request = HTTPRequest(method: .GET, uri: "/apis", headers: [
                "X-Remote-User": "jane", "X-Remote-Group": "dev", "X-Remote-Extra-Example.org%2Fscope": "a",
            ], body: [])
            request.clientCertificate = pair?.certificate
            return request
        }
        #expect(try await authenticator.authenticate(request(proxy)) ==
            UserInfo(name: "jane", groups: ["dev", "system:authenticated"], extra: ["example.org/scope": ["a"]]))
        #expect(try await authenticator.authenticate(request(nil)) == nil)
        #expect(try await authenticator.authenticate(request(stranger)) == nil)
        await #expect(throws: (any Error).self) { try await authenticator.authenticate(request(other)) }
    }

    @Test func discoveryMergesExtensionGroupVersions() throws {
        let wardle = ExtensionDiscovery.GroupVersion(group: Self.group, version: "v1alpha1", resources: [
            ["name": "flunders", "singularName": "flunder", "namespaced": true, "kind": "Flunder", "verbs": ["get", "list"], "shortNames": ["fl"]],
            ["name": "flunders/status", "singularName": "", "namespaced": true, "kind": "Flunder", "verbs": ["get"]],
        ])
        let discovery = Discovery(resources: [], serverAddress: "", extensions: [wardle])
        #expect(discovery.groupNames == [Self.group])
        #expect(discovery.group(Self.group)["preferredVersion"]?["groupVersion"] == "wardle.example.com/v1alpha1")
        let item = try #require(discovery.aggregated(core: false)["items"]?.arrayValue?.first)
        let resource = try #require(item[path: "versions"]?.arrayValue?.first?["resources"]?.arrayValue?.first)
        #expect(resource == [
            "resource": "flunders", "singularResource": "flunder", "scope": "Namespaced",
            "responseKind": ["group": "wardle.example.com", "version": "v1alpha1", "kind": "Flunder"], "verbs": ["get", "list"],
            "shortNames": ["fl"],
            "subresources": [["subresource": "status", "responseKind": ["group": "wardle.example.com", "version": "v1alpha1", "kind": "Flunder"],
                              "verbs": ["get"]]],
        ])
    }

    /// Runs `body` with an extension server serving flunders (by `strategy`) over HTTPS on a free
    /// loopback port, trusting `frontProxy`'s client certificates; `body` gets the port and the
    /// serving CA's PEM.
    static func withExtensionServer(frontProxy: CertificateAuthority, strategy: any ResourceStrategy = PlainStrategy(),
                                    _ body: @escaping @Sendable (Int, String) async throws -> Void) async throws {
        let now = Date()
        let servingCA = try CertificateAuthority.create(commonName: "wardle-ca", now: now)
        let serving = try servingCA.issue(.init(name: "s", commonName: "api", usage: .server, dnsNames: ["api.default.svc"],
                                                ipAddresses: ["127.0.0.1"]), now: now)
        let tls = TLSServing(certificateChainPEM: Array(try serving.certificatePEM().utf8), privateKeyPEM: Array(serving.privateKeyPEM.utf8),
                             clientCAPEM: Array(try frontProxy.keyPair.certificatePEM().utf8))
        let flunders = ResourceInfo(group: group, version: "v1alpha1", kind: "Flunder", plural: "flunders", namespaced: true,
                                    definitionName: "com.example.wardle.v1alpha1.Flunder")
        let authentication = ExtensionAuthentication(clientCAPEM: "", requestHeaderCAPEM: try frontProxy.keyPair.certificatePEM(),
                                                     allowedNames: ["front-proxy-client"])
        let (ports, ready) = AsyncStream<Int>.makeStream()
        let server = ExtensionServerService(http: .init(host: "127.0.0.1", port: 0, tls: tls), authentication: authentication,
                                            entries: [Registry.Entry(info: flunders, strategy: strategy)],
                                            logger: InProcessCluster.quietLogger) { ready.yield($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw APIServerHarness.ServerDidNotStart() }
            defer { group.cancelAll() }
            try await body(port, try servingCA.keyPair.certificatePEM())
        }
    }

    struct PlainStrategy: ResourceStrategy {}

    /// Creates the service `default/api` with an endpoint at `port` on loopback and the
    /// APIService `v1alpha1.wardle.example.com` served by it, trusting `servingCA`.
    static func register(port: Int, servingCA: String, on server: APIServerHarness) async throws {
        #expect(try await server.send(.POST, "/api/v1/namespaces/default/services", json: [
            "metadata": ["name": "api"], "spec": ["ports": [["port": 443, "targetPort": .int(Int64(port))]]],
        ]).status == 201)
        #expect(try await server.send(.POST, "/api/v1/namespaces/default/endpoints", json: [
            "metadata": ["name": "api"], "subsets": [["addresses": [["ip": "127.0.0.1"]], "ports": [["port": .int(Int64(port))]]]],
        ]).status == 201)
        #expect(try await server.send(.POST, "/apis/apiregistration.k8s.io/v1/apiservices", json: [
            "metadata": ["name": "v1alpha1.wardle.example.com"],
            "spec": ["group": .string(group), "version": "v1alpha1", "groupPriorityMinimum": 1000, "versionPriority": 15,
                     "service": ["namespace": "default", "name": "api"], "caBundle": .string(Data(servingCA.utf8).base64EncodedString())],
        ]).status == 201)
    }

    @Test func requestsOfAnAvailableAPIServiceGoToItsServerAsTheUser() async throws {
        let frontProxy = try CertificateAuthority.create(commonName: "front-proxy-ca", now: Date())
        let client = try frontProxy.issue(.init(name: "c", commonName: "front-proxy-client", usage: .client), now: Date())
        let identity = ProxyClientIdentity(certificatePEM: try client.certificatePEM(), privateKeyPEM: client.privateKeyPEM)
        var options = APIServer.Options()
        options.proxyClientIdentity = identity
        try await Self.withExtensionServer(frontProxy: frontProxy) { [options] port, servingCA in
            try await APIServerHarness.with(.router, options: options) { server in
                try await Self.register(port: port, servingCA: servingCA, on: server)
                // The proxy reads APIServices from the watch cache, as upstream's from its lister.
                try await waitUntil("the APIService is proxied to, not yet available") {
                    let unavailable = try await server.send(.GET, Self.flunders)
                    return unavailable.status == 503 && unavailable.text == "service unavailable\n"
                }

                var availability = APIServiceAvailability(registry: server.registry, client: WebhookClient(registry: server.registry),
                                                          discovery: server.api.extensionDiscovery, identity: identity,
                                                          clock: SystemClock(), logger: InProcessCluster.quietLogger)
                await availability.checkAll()
                let apiService = try await server.send(.GET, "/apis/apiregistration.k8s.io/v1/apiservices/v1alpha1.wardle.example.com").json()
                #expect(apiService[path: "status", "conditions"]?.arrayValue?.first?["reason"] == "Passed")
                availability.interval = .seconds(3600)
                let checks = Task { [availability] in await availability.run() }
                defer { checks.cancel() }
                try await waitUntil("the proxy sees the APIService available") { try await server.send(.GET, Self.flunders).status == 200 }
                let groups = try await server.send(.GET, "/apis").json()
                #expect(groups["groups"]?.arrayValue?.contains { $0["name"] == .string(Self.group) } == true)

                let created = try await server.send(.POST, Self.flunders, json: [
                    "apiVersion": "wardle.example.com/v1alpha1", "kind": "Flunder", "metadata": ["name": "my-flunder"],
                ])
                #expect(created.status == 201)
                #expect(try created.json()[path: "metadata", "name"] == "my-flunder")
                let list = try await server.send(.GET, Self.flunders).json()
                #expect(list["items"]?.arrayValue?.map { $0[path: "metadata", "name"] } == ["my-flunder"])

                // A changed spec is checked at once (the periodic checks are an hour apart here).
                let path = "/apis/apiregistration.k8s.io/v1/apiservices/v1alpha1.wardle.example.com"
                var changed = try await server.send(.GET, path).json()
                changed[path: "spec", "service", "name"] = "missing"
                #expect(try await server.send(.PUT, path, json: changed).status == 200)
                try await waitUntil("the changed APIService is checked") {
                    try await server.send(.GET, path).json()[path: "status", "conditions"]?.arrayValue?.first?["reason"] == "ServiceNotFound"
                }
                let aggregated = try await server.send(.GET, "/apis", headers: ["Accept": Discovery.aggregatedContentType]).json()
                let wardle = aggregated["items"]?.arrayValue?.first { $0[path: "metadata", "name"] == .string(Self.group) }
                #expect(wardle?["versions"]?.arrayValue?.first?["freshness"] == "Stale")
                #expect(try await server.send(.DELETE, path).status == 200)
                try await waitUntil("the deleted APIService leaves discovery") {
                    try await server.send(.GET, "/apis").json()["groups"]?.arrayValue?.contains { $0["name"] == .string(Self.group) } == false
                }
            }
        }
    }
}
