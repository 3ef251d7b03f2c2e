import Foundation
import SkiffAPI
@testable import SkiffAPIServer
import SkiffPKI
import SkiffRegistry
import SkiffSchemas
import SkiffTesting
import Testing

/// What the aggregator adds for other group versions: the extension servers' OpenAPI merged
/// into the server's documents.
@Suite struct AggregatedOpenAPITests {
    static let flunder = "com.example.wardle.v1alpha1.Flunder"

    /// Flunders with a schema of their own, as an extension server publishes them.
    struct FlunderStrategy: ResourceStrategy {
        var openAPIDefinitions: [String: JSONValue] {
            KindDefinitions.definitions(name: AggregatedOpenAPITests.flunder, group: AggregationTests.group, version: "v1alpha1", kind: "Flunder",
                                        schema: ["properties": ["spec": ["type": "object", "properties": ["reference": ["type": "string"]]]]])
        }
    }

    @Test func theDocumentsOfAnAvailableExtensionServerAreMerged() async throws {
        let frontProxy = try CertificateAuthority.create(commonName: "front-proxy-ca", now: Date())
        let client = try frontProxy.issue(.init(name: "c", commonName: "front-proxy-client", usage: .client), now: Date())
        let identity = ProxyClientIdentity(certificatePEM: try client.certificatePEM(), privateKeyPEM: client.privateKeyPEM)
        try await AggregationTests.withExtensionServer(frontProxy: frontProxy, strategy: FlunderStrategy()) { port, servingCA in
            try await APIServerHarness.with(.router) { server in
                try await AggregationTests.register(port: port, servingCA: servingCA, on: server)
                let before = try await server.send(.GET, "/openapi/v2", headers: ["Accept": "application/json"])
                let availability = APIServiceAvailability(registry: server.registry, client: WebhookClient(registry: server.registry),
                                                          discovery: server.api.extensionDiscovery, identity: identity,
                                                          clock: SystemClock(), logger: InProcessCluster.quietLogger)
                await availability.checkAll()
                let controller = ExtensionOpenAPIController(registry: server.registry, client: WebhookClient(registry: server.registry),
                                                            documents: server.api.extensionOpenAPI, identity: identity, clock: SystemClock(),
                                                            logger: InProcessCluster.quietLogger)
                // The controller reads the APIService's availability from the watch cache.
                try await waitUntil("the documents are fetched") {
                    await controller.fetchAll()
                    let published = server.api.extensionOpenAPI.published(apiService: "v1alpha1.wardle.example.com")
                    return published?.swagger != nil && published?.v3 != nil
                }

                let swagger = try await server.send(.GET, "/openapi/v2", headers: ["Accept": "application/json"])
                #expect(swagger.headers["Etag"] != before.headers["Etag"])
                let document = try swagger.json()
                let flunders = "/apis/wardle.example.com/v1alpha1/namespaces/{namespace}/flunders/{name}"
                #expect(document[path: "paths", flunders, "get", "x-kubernetes-group-version-kind"] ==
                    ["group": "wardle.example.com", "version": "v1alpha1", "kind": "Flunder"])
                #expect(document[path: "definitions", Self.flunder, "properties", "spec", "properties", "reference"] == ["type": "string"])
                // The extension server's ObjectMeta is the server's: shared, not renamed.
                let names = document["definitions"]?.objectValue?.keys.filter { $0.hasPrefix("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta") }
                #expect(names == ["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"])
                // Its other groups (the reviews every server has) are left out.
                #expect(document[path: "paths", "/api/v1/pods"] != nil)
                #expect(document[path: "definitions", "io.k8s.apimachinery.pkg.apis.meta.v1.Status_v2"] == nil)

                let index = try await server.send(.GET, "/openapi/v3").json()
                let url = try #require(index[path: "paths", "apis/wardle.example.com/v1alpha1", "serverRelativeURL"]?.stringValue)
                #expect(index[path: "paths", "apis/apps/v1"] != nil)
                let v3 = try await server.send(.GET, url).json()
                #expect(v3[path: "components", "schemas", Self.flunder, "x-kubernetes-group-version-kind"] ==
                    [["group": "wardle.example.com", "kind": "Flunder", "version": "v1alpha1"]])

                #expect(try await server.send(.DELETE, "/apis/apiregistration.k8s.io/v1/apiservices/v1alpha1.wardle.example.com").status == 200)
                await controller.fetchAll()
                #expect(try await server.send(.GET, "/openapi/v3").json()[path: "paths", "apis/wardle.example.com/v1alpha1"] == nil)
                let after = try await server.send(.GET, "/openapi/v2", headers: ["Accept": "application/json"]).json()
                #expect(after[path: "definitions", Self.flunder] == nil)
            }
        }
    }
}
