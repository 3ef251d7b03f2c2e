import SkiffAPI
import SkiffProtobuf
import SkiffSchemas
import Testing

@Suite struct OpenAPIV2ProtobufTests {
    static let document: JSONValue = [
        "swagger": "2.0", "info": ["title": "Kubernetes", "version": "v1.32.4-skiff"],
        "paths": ["/api/v1/namespaces/{namespace}/pods/{name}": [
            "parameters": [["name": "name", "in": "path", "required": true, "type": "string", "uniqueItems": true]],
            "patch": [
                "operationId": "patchCoreV1NamespacedPod", "consumes": ["application/merge-patch+json"],
                "parameters": [["name": "body", "in": "body", "required": true, "schema": ["$ref": "#/definitions/Patch"]],
                               ["name": "dryRun", "in": "query", "type": "string", "uniqueItems": true]],
                "responses": ["200": ["description": "OK", "schema": ["$ref": "#/definitions/Pod"]], "401": ["description": "Unauthorized"]],
                "x-kubernetes-action": "patch", "x-kubernetes-group-version-kind": ["group": "", "version": "v1", "kind": "Pod"],
            ],
        ]],
        "definitions": [
            "Pod": [
                "type": "object", "required": ["spec"],
                "properties": [
                    "containers": ["type": "array", "items": ["$ref": "#/definitions/Container"],
                                   "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge"],
                    "labels": ["type": "object", "additionalProperties": ["type": "string"]],
                    "replicas": ["type": "integer", "format": "int32"],
                ],
                "x-kubernetes-group-version-kind": [["group": "", "kind": "Pod", "version": "v1"]],
            ],
            "Free": ["type": "object", "additionalProperties": false],
        ],
        "securityDefinitions": ["BearerToken": ["type": "apiKey", "name": "authorization", "in": "header"]],
        "security": [["BearerToken": []]],
    ]

    @Test func documentFieldsFollowGnosticsMessage() throws {
        let document = try ProtobufFields(try OpenAPIV2Protobuf.encode(Self.document))
        #expect(document.order == document.order.sorted(), "fields in number order, as Go writes them")
        #expect(document.string(1) == "2.0")
        #expect(document.message(2)?.string(1) == "Kubernetes")
        #expect(document.message(2)?.string(2) == "v1.32.4-skiff")
        let scheme = try #require(document.message(13)?.named(1, "BearerToken")?.message(2), "an ApiKeySecurity")
        #expect([scheme.string(1), scheme.string(2), scheme.string(3)] == ["apiKey", "authorization", "header"])
        #expect(document.messages(12).first?.named(1, "BearerToken") != nil)
    }

    @Test func operationsAndParameters() throws {
        let document = try ProtobufFields(try OpenAPIV2Protobuf.encode(Self.document))
        let item = try #require(document.message(8)?.named(2, "/api/v1/namespaces/{namespace}/pods/{name}"))
        let name = try #require(item.messages(9).first?.message(1)?.message(2)?.message(4), "a PathParameterSubSchema")
        #expect(name.string(4) == "name" && name.string(2) == "path" && name.string(5) == "string")
        #expect(name[1] == [.varint(1)] && name[19] == [.varint(1)], "required, uniqueItems")

        let patch = try #require(item.message(8))
        #expect(patch.string(5) == "patchCoreV1NamespacedPod")
        #expect(patch.strings(7) == ["application/merge-patch+json"])
        let parameters = patch.messages(8)
        let body = try #require(parameters.first?.message(1)?.message(1), "a BodyParameter")
        #expect(body.string(2) == "body" && body.string(3) == "body" && body[4] == [.varint(1)])
        #expect(body.message(5)?.string(1) == "#/definitions/Patch")
        let dryRun = try #require(parameters.last?.message(1)?.message(2)?.message(3), "a QueryParameterSubSchema")
        #expect(dryRun.string(4) == "dryRun" && dryRun.string(6) == "string" && dryRun[20] == [.varint(1)])

        let ok = try #require(patch.message(9)?.named(1, "200")?.message(1), "a Response")
        #expect(ok.string(1) == "OK")
        #expect(ok.message(2)?.message(1)?.string(1) == "#/definitions/Pod")
        #expect(patch.message(9)?.named(1, "401")?.message(1)?.message(2) == nil)
        #expect(patch.vendorExtension(13, "x-kubernetes-action") == "\"patch\"\n")
        let gvk = try JSONValue(parsing: try #require(patch.vendorExtension(13, "x-kubernetes-group-version-kind")))
        #expect(gvk == ["group": "", "version": "v1", "kind": "Pod"])
    }

    @Test func schemasAndTheirExtensions() throws {
        let document = try ProtobufFields(try OpenAPIV2Protobuf.encode(Self.document))
        let definitions = try #require(document.message(9))
        #expect(definitions.messages(1).compactMap { $0.string(1) } == ["Free", "Pod"], "by name")
        let pod = try #require(definitions.named(1, "Pod"))
        #expect(pod.message(22)?.strings(1) == ["object"])
        #expect(pod.strings(19) == ["spec"])
        let gvk = try JSONValue(parsing: try #require(pod.vendorExtension(31, "x-kubernetes-group-version-kind")))
        #expect(gvk == [["group": "", "kind": "Pod", "version": "v1"]])
        let properties = try #require(pod.message(25))
        let containers = try #require(properties.named(1, "containers"))
        #expect(containers.message(23)?.messages(1).first?.string(1) == "#/definitions/Container")
        #expect(containers.vendorExtension(31, "x-kubernetes-patch-merge-key") == "\"name\"\n")
        #expect(containers.vendorExtension(31, "x-kubernetes-patch-strategy") == "\"merge\"\n")
        #expect(properties.named(1, "labels")?.message(21)?.message(1)?.message(22)?.strings(1) == ["string"])
        #expect(properties.named(1, "replicas")?.string(2) == "int32")
        #expect(definitions.named(1, "Free")?.message(21)?[2] == [.varint(0)], "additionalProperties: false is written")
    }

    @Test func membersWithoutAFieldAreAnError() {
        #expect(throws: ProtobufError.self) { try OpenAPIV2Protobuf.encode(["swagger": "2.0", "colour": "blue"]) }
        #expect(throws: ProtobufError.self) { try OpenAPIV2Protobuf.encode(["definitions": ["A": ["type": "object", "xml": [:]]]]) }
    }

    @Test func everyBuiltinDefinitionEncodes() throws {
        let resources = [
            OpenAPIResource(group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true,
                            subresources: ["scale", "status"], definitionName: "io.k8s.api.apps.v1.Deployment",
                            patchTypes: ["application/strategic-merge-patch+json"],
                            verbs: ["create", "delete", "get", "list", "patch", "update", "watch"], deleteReturnsObject: false),
        ]
        var swagger = OpenAPIDocumentBuilder(resources: resources).swaggerDocument(version: "v1.32.4-skiff")
        swagger["definitions"] = .object(BuiltinSchemas.definitions)
        let document = try ProtobufFields(try OpenAPIV2Protobuf.encode(swagger))
        let definitions = try #require(document.message(9))
        #expect(definitions.messages(1).count == BuiltinSchemas.definitions.count)
        let strategy = definitions.named(1, "io.k8s.api.apps.v1.DeploymentSpec")?.message(25)?.named(1, "strategy")
        #expect(strategy?.string(1) == "#/definitions/io.k8s.api.apps.v1.DeploymentStrategy")
        let scale = document.message(8)?.named(2, "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale")
        #expect(scale?.message(2)?.string(5) == "readAppsV1NamespacedDeploymentScale")
    }
}
