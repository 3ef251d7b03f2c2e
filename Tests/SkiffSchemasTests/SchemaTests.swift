import SkiffAPI
import SkiffSchemas
import Testing

@Suite struct SchemaTests {
    @Test func definitionsLoadWithExtensions() throws {
        let deployment = try #require(BuiltinSchemas.definitions["io.k8s.api.apps.v1.Deployment"])
        #expect(deployment["x-kubernetes-group-version-kind"]?.arrayValue?.first?["kind"] == "Deployment")
        #expect(deployment["description"] == nil, "upstream prose is not carried over")
        let containers = BuiltinSchemas.definitions["io.k8s.api.core.v1.PodSpec"]?[path: "properties", "containers"]
        #expect(containers?["x-kubernetes-patch-merge-key"] == "name")
    }

    @Test func inliningFollowsReferencesAndCutsCycles() throws {
        let definitions = BuiltinSchemas.definitions
        let deployment = try #require(BuiltinSchemas.inlined("io.k8s.api.apps.v1.Deployment") { definitions[$0] })
        #expect(deployment[path: "properties", "metadata", "properties", "labels", "additionalProperties", "type"] == "string")
        let container = deployment[path: "properties", "spec", "properties", "template", "properties", "spec", "properties", "containers", "items"]
        #expect(container?[path: "properties", "image", "type"] == "string")
        #expect(container?[path: "properties", "ports", "items", "properties", "containerPort", "format"] == "int32")
        // JSONSchemaProps refers to itself: the inner reference becomes an empty schema.
        let crd = try #require(BuiltinSchemas.inlined("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition") { definitions[$0] })
        let props = crd[path: "properties", "spec", "properties", "versions", "items", "properties", "schema", "properties", "openAPIV3Schema"]
        #expect(props?[path: "properties", "type", "type"] == "string")
        #expect(props?[path: "properties", "not"] == .emptyObject)
        #expect(BuiltinSchemas.inlined("io.example.Missing") { definitions[$0] } == nil)
    }

    @Test func pruningReportsUnknownFieldsWithPaths() throws {
        let pruner = try #require(UnknownFieldPruner(definition: "io.k8s.api.apps.v1.Deployment"))
        let object: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment", "colour": "blue",
            "metadata": ["name": "web", "labels": ["any": "label"], "lables": ["x": "y"]],
            "spec": ["template": ["spec": ["containers": [["name": "c", "image": "i", "imagee": "typo",
                                                           "resources": ["limits": ["cpu": "1"]]]]]]],
        ]
        let result = pruner.prune(object)
        let (pruned, unknown) = (result.object, result.unknownFields)
        #expect(unknown == ["colour", "metadata.lables", "spec.template.spec.containers[0].imagee"])
        #expect(pruned["colour"] == nil)
        #expect(pruned[path: "metadata", "labels"] == ["any": "label"], "maps keep their keys")
        #expect(pruned[path: "spec", "template", "spec", "containers"]?.arrayValue?[0][path: "resources", "limits", "cpu"] == "1")
    }

    @Test func decodingReportsTypeErrorsAsGoDoesAndNormalisesQuantities() throws {
        let pruner = try #require(UnknownFieldPruner(definition: "io.k8s.api.apps.v1.Deployment"))
        let wrong = pruner.prune(["spec": ["replicas": "three"]])
        #expect(wrong.typeError == "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32")
        let containers = pruner.prune(["spec": ["template": ["spec": ["containers": "c"]]]])
        #expect(containers.typeError == "json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container")
        let fine = pruner.prune([
            "metadata": ["labels": nil],
            "spec": ["replicas": 2, "strategy": ["rollingUpdate": ["maxSurge": 1, "maxUnavailable": "25%"]],
                     "template": ["spec": ["containers": [["name": "c", "resources": ["limits": ["cpu": 2, "memory": "1Gi"]]]]]]],
        ])
        #expect(fine.typeError == nil)
        #expect(fine.object[path: "metadata"] == .emptyObject, "null fields are dropped")
        #expect(fine.object[path: "spec", "template", "spec", "containers"]?.arrayValue?[0][path: "resources", "limits"] == ["cpu": "2", "memory": "1Gi"])
    }

    @Test func documentsDescribeOperationsLikeUpstream() throws {
        let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
        let resources = [
            OpenAPIResource(group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true, subresources: [],
                            definitionName: "io.k8s.api.core.v1.ConfigMap", patchTypes: ["application/merge-patch+json"],
                            verbs: allVerbs, deleteReturnsObject: false),
            OpenAPIResource(group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true,
                            subresources: ["scale", "status"], definitionName: "io.k8s.api.apps.v1.Deployment",
                            patchTypes: ["application/strategic-merge-patch+json"], verbs: allVerbs, deleteReturnsObject: false),
        ]
        let documents = OpenAPIDocumentBuilder(resources: resources).documents()
        let core = try JSONValue(parsing: try #require(documents["api/v1"]).bytes)
        let item = try #require(core[path: "paths", "/api/v1/namespaces/{namespace}/configmaps/{name}"])
        #expect(item[path: "get", "operationId"] == "readCoreV1NamespacedConfigMap")
        #expect(item[path: "patch", "requestBody", "content", "application/merge-patch+json"] != nil)
        #expect(item[path: "put", "parameters"]?.arrayValue?.contains { $0["name"] == "fieldValidation" } == true)
        let apps = try JSONValue(parsing: try #require(documents["apis/apps/v1"]).bytes)
        #expect(apps[path: "paths", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", "get", "operationId"]
                == "readAppsV1NamespacedDeploymentScale")
        // Every reference resolves inside the document.
        let schemas = try #require(apps[path: "components", "schemas"]?.objectValue)
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
        collect(apps)
        for reference in references {
            #expect(schemas[String(reference.dropFirst("#/components/schemas/".count))] != nil, "dangling \(reference)")
        }
        let index = OpenAPIDocumentBuilder.index(documents)
        #expect(index[path: "paths", "apis/apps/v1", "serverRelativeURL"]?.stringValue?.hasPrefix("/openapi/v3/apis/apps/v1?hash=") == true)
    }
}
