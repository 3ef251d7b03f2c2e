import SkiffAPI
import SkiffOperator
import Testing

/// The CRD generated from a Swift type: names, subresources, columns and the inferred schema.
struct CustomResourceDefinitionManifestTests {
    @Test func infersTheSchemaOfSpecAndStatus() throws {
        let spec = try OpenAPISchemaInference.schema(of: Widget.Spec.self)
        #expect(spec["type"] == "object")
        #expect(spec["required"] == ["size"])
        let properties = try #require(spec["properties"])
        #expect(properties["size"] == ["type": "integer", "format": "int64"])
        #expect(properties["color"] == ["type": "string", "enum": ["red", "blue"]])
        #expect(properties["tags"] == ["type": "array", "items": ["type": "string"]])
        #expect(properties["labels"] == ["type": "object", "additionalProperties": ["type": "string"]])
        #expect(properties["limit"] == ["x-kubernetes-int-or-string": true])
        #expect(properties["ratio"] == ["type": "number", "format": "double"])
        #expect(properties["parts"] == [
            "type": "array",
            "items": ["type": "object", "required": ["name"],
                      "properties": ["name": ["type": "string"], "count": ["type": "integer", "format": "int32"]]],
        ])
        let conditions = try OpenAPISchemaInference.schema(of: Widget.Status.self)["properties"]?["conditions"]?["items"]
        #expect(conditions?["required"] == ["message", "reason", "status", "type"])
        #expect(conditions?["properties"]?["lastTransitionTime"] == ["type": "string", "format": "date-time"])
    }

    @Test func describesTheResource() throws {
        let crd = try CustomResourceDefinitionManifest.json(for: Widget.self)
        #expect(crd["metadata"]?["name"] == "widgets.operator.test.skiff.dev")
        let spec = try #require(crd["spec"])
        #expect(spec["group"] == "operator.test.skiff.dev")
        #expect(spec["scope"] == "Namespaced")
        #expect(spec["names"] == ["plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList", "shortNames": ["wd"]])
        let version = try #require(spec["versions"]?.arrayValue?.first)
        #expect(version["name"] == "v1" && version["served"] == true && version["storage"] == true)
        #expect(version["subresources"] == ["status": [:], "scale": ["specReplicasPath": ".spec.size", "statusReplicasPath": ".status.size"]])
        #expect(version["additionalPrinterColumns"] == [["name": "Size", "type": "integer", "jsonPath": ".spec.size"]])
        #expect(version["schema"]?["openAPIV3Schema"]?["required"] == ["spec"])
        let yaml = try CustomResourceDefinitionManifest.yaml(for: Widget.self)
        #expect(yaml.hasPrefix("apiVersion: apiextensions.k8s.io/v1\n"))
        #expect(yaml.contains("kind: CustomResourceDefinition"))
    }
}
