import SkiffAPI
import SkiffSchemas
import Testing

@Suite struct SwaggerDocumentTests {
    static let patchTypes = ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"]
    static let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
    static let resources = [
        OpenAPIResource(group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true, subresources: ["binding", "status"],
                        definitionName: "io.k8s.api.core.v1.Pod", patchTypes: patchTypes, verbs: allVerbs, deleteReturnsObject: true),
        OpenAPIResource(group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false, subresources: ["finalize", "status"],
                        definitionName: "io.k8s.api.core.v1.Namespace", patchTypes: patchTypes,
                        verbs: allVerbs.filter { $0 != "deletecollection" }, deleteReturnsObject: false),
        OpenAPIResource(group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true,
                        subresources: ["scale", "status"], definitionName: "io.k8s.api.apps.v1.Deployment", patchTypes: patchTypes,
                        verbs: allVerbs, deleteReturnsObject: false),
    ]
    let document = OpenAPIDocumentBuilder(resources: Self.resources).swaggerDocument(version: "v1.32.4-skiff")

    @Test func describesTheWholeAPI() throws {
        #expect(document["swagger"] == "2.0")
        #expect(document["info"] == ["title": "Kubernetes", "version": "v1.32.4-skiff"])
        #expect(document[path: "securityDefinitions", "BearerToken"] == ["type": "apiKey", "name": "authorization", "in": "header"])
        #expect(document["security"] == [["BearerToken": []]])
        let paths = try #require(document["paths"]?.objectValue)
        #expect(Set(paths.keys) == [
            "/api/v1/namespaces/{namespace}/pods", "/api/v1/namespaces/{namespace}/pods/{name}",
            "/api/v1/namespaces/{namespace}/pods/{name}/binding", "/api/v1/namespaces/{namespace}/pods/{name}/status",
            "/api/v1/namespaces", "/api/v1/namespaces/{name}", "/api/v1/namespaces/{name}/finalize", "/api/v1/namespaces/{name}/status",
            "/apis/apps/v1/namespaces/{namespace}/deployments", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}",
            "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status",
            "/api/v1/pods", "/api/v1/watch/pods", "/api/v1/watch/namespaces/{namespace}/pods", "/api/v1/watch/namespaces/{namespace}/pods/{name}",
            "/api/v1/watch/namespaces", "/api/v1/watch/namespaces/{name}",
            "/apis/apps/v1/deployments", "/apis/apps/v1/watch/deployments", "/apis/apps/v1/watch/namespaces/{namespace}/deployments",
            "/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}",
        ])
    }

    @Test func listsAcrossNamespacesAndWatchPaths() throws {
        let all = try #require(document[path: "paths", "/apis/apps/v1/deployments"])
        #expect(all[path: "get", "operationId"] == "listAppsV1DeploymentForAllNamespaces")
        #expect(all[path: "get", "parameters"] == nil, "a path's only operation has its parameters on the path")
        #expect(all["parameters"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == [
            "allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit", "pretty", "resourceVersion",
            "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds", "watch",
        ])
        let watches: [(String, String, String)] = [
            ("/api/v1/watch/namespaces/{namespace}/pods", "watchCoreV1NamespacedPodList", "watchlist"),
            ("/api/v1/watch/namespaces/{namespace}/pods/{name}", "watchCoreV1NamespacedPod", "watch"),
            ("/api/v1/watch/pods", "watchCoreV1PodListForAllNamespaces", "watchlist"),
            ("/api/v1/watch/namespaces", "watchCoreV1NamespaceList", "watchlist"),
            ("/api/v1/watch/namespaces/{name}", "watchCoreV1Namespace", "watch"),
        ]
        for (path, id, action) in watches {
            let watch = document[path: "paths", path, "get"]
            #expect(watch?["operationId"] == .string(id))
            #expect(watch?["x-kubernetes-action"] == .string(action))
            #expect(watch?[path: "responses", "200", "schema"] == ["$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent"])
        }
    }

    @Test func operationsAreShapedLikeUpstreamsV2() throws {
        let collection = try #require(document[path: "paths", "/api/v1/namespaces/{namespace}/pods"])
        #expect(collection["parameters"] == [
            ["name": "namespace", "in": "path", "required": true, "type": "string", "uniqueItems": true],
            ["name": "pretty", "in": "query", "type": "string", "uniqueItems": true],
        ])
        let list = try #require(collection["get"])
        #expect(list["operationId"] == "listCoreV1NamespacedPod")
        #expect(list["x-kubernetes-action"] == "list")
        #expect(list["x-kubernetes-group-version-kind"] == ["group": "", "version": "v1", "kind": "Pod"])
        #expect(list["consumes"] == ["*/*"])
        #expect(list["produces"]?.arrayValue?.contains("application/json;stream=watch") == true)
        #expect(list["schemes"] == ["https"])
        #expect(list[path: "responses", "200"] == ["description": "OK", "schema": ["$ref": "#/definitions/io.k8s.api.core.v1.PodList"]])
        #expect(list["parameters"]?.arrayValue?.compactMap { $0["name"]?.stringValue }.first == "allowWatchBookmarks")
        let deleteCollection = try #require(collection["delete"])
        #expect(deleteCollection["operationId"] == "deleteCoreV1CollectionNamespacedPod")
        #expect(deleteCollection["parameters"]?.arrayValue?.first
                == ["name": "body", "in": "body", "schema": ["$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"]])
        #expect(deleteCollection["parameters"]?.arrayValue?.contains { $0["name"] == "watch" } == false)

        let patch = try #require(document[path: "paths", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}", "patch"])
        #expect(patch["operationId"] == "patchAppsV1NamespacedDeployment")
        #expect(patch["consumes"] == .array(Self.patchTypes.map(JSONValue.string)), "v2 puts the patch types in consumes")
        #expect(patch["parameters"]?.arrayValue?.first
                == ["name": "body", "in": "body", "required": true, "schema": ["$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"]])
        #expect(patch["requestBody"] == nil)
        let scale = document[path: "paths", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", "put"]
        #expect(scale?["operationId"] == "replaceAppsV1NamespacedDeploymentScale")
        #expect(scale?[path: "responses", "201", "schema"] == ["$ref": "#/definitions/io.k8s.api.autoscaling.v1.Scale"])
        #expect(scale?["x-kubernetes-group-version-kind"] == ["group": "autoscaling", "version": "v1", "kind": "Scale"])
        #expect(document[path: "paths", "/api/v1/namespaces/{name}/finalize", "put", "operationId"] == "replaceCoreV1NamespaceFinalize")
    }

    @Test func operationsFollowTheServedVerbsAndDeleteResponses() throws {
        #expect(document[path: "paths", "/api/v1/namespaces", "delete"] == nil, "namespaces serve no deletecollection")
        #expect(document[path: "paths", "/api/v1/namespaces/{name}", "delete", "responses", "200", "schema"]
                == ["$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Status"])
        #expect(document[path: "paths", "/api/v1/namespaces/{namespace}/pods/{name}", "delete", "responses", "200", "schema"]
                == ["$ref": "#/definitions/io.k8s.api.core.v1.Pod"], "pods answer a delete with the object")
    }

    @Test func parametersSharedByEveryOperationMoveToThePath() throws {
        let binding = try #require(document[path: "paths", "/api/v1/namespaces/{namespace}/pods/{name}/binding"])
        #expect(binding["parameters"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
                == ["dryRun", "fieldManager", "fieldValidation", "name", "namespace", "pretty"])
        #expect(binding[path: "post", "parameters"]?.arrayValue?.map { $0["name"] } == ["body"])
        #expect(binding[path: "post", "operationId"] == "createCoreV1NamespacedPodBinding")
        #expect(binding[path: "post", "x-kubernetes-group-version-kind"] == ["group": "", "version": "v1", "kind": "Binding"])
        let status = try #require(document[path: "paths", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status"])
        #expect(status["parameters"]?.arrayValue?.count == 3, "get takes none of put's parameters")
    }

    @Test func definitionsKeepTheirExtensionsAndResolve() throws {
        let definitions = try #require(document["definitions"]?.objectValue)
        for resource in Self.resources {
            let kind = try #require(definitions[resource.definitionName])
            #expect(kind["x-kubernetes-group-version-kind"]?.arrayValue?.first?["kind"] == .string(resource.kind))
            #expect(definitions[resource.definitionName + "List"] != nil)
        }
        let containers = try #require(definitions["io.k8s.api.core.v1.PodSpec"]?[path: "properties", "containers"])
        #expect(containers["x-kubernetes-patch-merge-key"] == "name")
        #expect(containers["x-kubernetes-patch-strategy"] == "merge")
        #expect(containers["x-kubernetes-list-type"] == "map")
        #expect(containers["x-kubernetes-list-map-keys"] == ["name"])
        #expect(definitions["io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"]?["x-kubernetes-map-type"] == "atomic")
        #expect(definitions["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] == ["type": "string", "format": "int-or-string"],
                "v2 keeps the string form, not v3's oneOf")
        var references: [String] = []
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let members):
                for (key, member) in members {
                    if key == "$ref", let text = member.stringValue { references.append(text) } else { collect(member) }
                }
            case .array(let elements): elements.forEach(collect)
            default: break
            }
        }
        collect(document)
        #expect(!references.isEmpty)
        for reference in references {
            #expect(reference.hasPrefix("#/definitions/") && definitions[String(reference.dropFirst("#/definitions/".count))] != nil,
                    "dangling \(reference)")
        }
    }
}
