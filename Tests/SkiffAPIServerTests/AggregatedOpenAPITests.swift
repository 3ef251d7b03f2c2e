import Foundation
import SkiffAPI
@testable import SkiffAPIServer
import SkiffPKI
import SkiffRegistry
import SkiffSchemas
import SkiffTesting
import Testing

/// What the aggregator adds for other group versions: the extension servers' OpenAPI merged
/// into the server's documents, and the local APIServices of CRD group versions.
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
                let controller = ExtensionOpenAPIController(registry: server.registry, client: WebhookClient(registry: server.registry),
                                                            documents: server.api.extensionOpenAPI, identity: identity, clock: SystemClock(),
                                                            logger: InProcessCluster.quietLogger)
                // The controller reads the APIService's availability from the watch cache. The check
                // is repeated, as the availability controller repeats it: on a loaded machine one
                // discovery check can time out and mark the APIService unavailable.
                try await waitUntil("the documents are fetched") {
                    await availability.checkAll()
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
                try await waitUntil("the deleted APIService's documents are dropped") {
                    await controller.fetchAll()
                    return try await server.send(.GET, "/openapi/v3").json()[path: "paths", "apis/wardle.example.com/v1alpha1"] == nil
                }
                let after = try await server.send(.GET, "/openapi/v2", headers: ["Accept": "application/json"]).json()
                #expect(after[path: "definitions", Self.flunder] == nil)
            }
        }
    }

    /// A CRD `name` of `group` with `versions` (name, served), the first stored.
    static func crd(_ name: String, group: String, versions: [(String, Bool)]) -> JSONValue {
        [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": ["name": .string(name)],
            "spec": [
                "group": .string(group), "scope": "Namespaced",
                "names": ["plural": .string(String(name.prefix { $0 != "." })), "kind": "Widget"],
                "versions": .array(versions.enumerated().map { index, version in
                    ["name": .string(version.0), "served": .bool(version.1), "storage": .bool(index == 0),
                     "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]]
                }),
            ],
        ]
    }

    @Test func everyServedCRDGroupVersionHasALocalAPIService() async throws {
        try await APIServerHarness.with(.router) { server in
            let crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
            let apiServices = "/apis/apiregistration.k8s.io/v1/apiservices"
            #expect(try await server.send(.POST, crds, json: Self.crd("widgets.stable.example.com", group: "stable.example.com",
                                                                       versions: [("v1", true), ("v2", false)])).status == 201)
            #expect(try await server.send(.POST, crds, json: Self.crd("gadgets.stable.example.com", group: "stable.example.com",
                                                                       versions: [("v1", true), ("v1beta1", true)])).status == 201)
            // One a user made for a version a CRD serves: left alone.
            #expect(try await server.send(.POST, apiServices, json: [
                "metadata": ["name": "v1beta1.stable.example.com"],
                "spec": ["group": "stable.example.com", "version": "v1beta1", "groupPriorityMinimum": 10, "versionPriority": 5],
            ]).status == 201)
            let registration = CustomResourceAPIServices(registry: server.registry, clock: SystemClock(), logger: InProcessCluster.quietLogger)
            let running = Task { await registration.run() }
            defer { running.cancel() }
            try await waitUntil("the APIService is available") {
                let object = try await server.send(.GET, apiServices + "/v1.stable.example.com").json()
                return object[path: "status", "conditions"]?.arrayValue?.first?["reason"] == "Local"
            }
            let v1 = try await server.send(.GET, apiServices + "/v1.stable.example.com").json()
            #expect(v1["spec"] == ["group": "stable.example.com", "version": "v1", "groupPriorityMinimum": 1000, "versionPriority": 100])
            #expect(v1[path: "metadata", "labels"] == ["kube-aggregator.kubernetes.io/automanaged": "true"])
            #expect(v1[path: "status", "conditions"]?.arrayValue?.first?["status"] == "True")
            #expect(try await server.send(.GET, apiServices + "/v2.stable.example.com").status == 404)
            let mine = try await server.send(.GET, apiServices + "/v1beta1.stable.example.com").json()
            #expect(mine[path: "spec", "groupPriorityMinimum"] == 10 && mine[path: "metadata", "labels"] == nil)

            // v1 stays while one CRD still serves it, and goes once none does; v2 comes once one does.
            for (name, versions) in [("widgets", [("v1", false), ("v2", true)]), ("gadgets", [("v1", false), ("v1beta1", true)])] {
                let path = crds + "/\(name).stable.example.com"
                var crd = try await server.send(.GET, path).json()
                crd[path: "spec", "versions"] = Self.crd(name, group: "", versions: versions)[path: "spec", "versions"]
                #expect(try await server.send(.PUT, path, json: crd).status == 200)
            }
            try await waitUntil("the APIService no CRD serves is deleted") {
                try await server.send(.GET, apiServices + "/v1.stable.example.com").status == 404
            }
            #expect(try await server.send(.GET, apiServices + "/v2.stable.example.com").status == 200)
            #expect(try await server.send(.GET, apiServices + "/v1beta1.stable.example.com").json()[path: "spec", "groupPriorityMinimum"] == 10)
        }
    }
}
