import SkiffAPI
import SkiffSchemas
import Testing

@Suite struct CompiledSchemaTests {
    private let deployment = CompiledSchema.builtin("io.k8s.api.apps.v1.Deployment")!

    private func containers(_ value: JSONValue) -> JSONValue {
        ["spec": ["template": ["spec": ["containers": value]]]]
    }

    @Test func listAndMapTypesComeFromTheDefinitions() throws {
        let podSpec = try #require(deployment.compiledProperty("spec")?.compiledProperty("template")?.compiledProperty("spec"))
        #expect(podSpec.compiledProperty("containers")?.shape == .map(keys: ["name"]))
        #expect(podSpec.compiledProperty("tolerations")?.shape == .atomicList)
        #expect(deployment.compiledProperty("spec")?.compiledProperty("selector")?.shape == .atomic, "LabelSelector is an atomic map")
        #expect(deployment.compiledProperty("metadata")?.compiledProperty("finalizers")?.shape == .set)
    }

    @Test func portsWithoutProtocolAreKeyedByTheDefault() throws {
        let manager = FieldManager(schema: deployment, scope: .object(excludingStatus: true))
        let request = FieldManager.Request(manager: "ci", apiVersion: "apps/v1")
        let config = containers([["name": "c", "image": "i", "ports": [["containerPort": 80]]]])
        var live = try manager.apply(config, to: nil, by: request, force: false)
        // The server defaults the protocol; applying the same configuration again must match the port.
        live[path: "spec", "template", "spec", "containers"] = [["name": "c", "image": "i", "ports": [["containerPort": 80, "protocol": "TCP"]]]]
        let again = try manager.apply(config, to: live, by: request, force: false)
        let ports = again[path: "spec", "template", "spec", "containers"]?.arrayValue?.first?["ports"]
        #expect(ports == [["containerPort": 80, "protocol": "TCP"]])
        let fields = again[path: "metadata", "managedFields"]?.arrayValue?.first?["fieldsV1"]
        let owned = fields?[path: "f:spec", "f:template", "f:spec", "f:containers", #"k:{"name":"c"}"#, "f:ports"]
        #expect(owned?.objectValue?.keys.sorted() == [#"k:{"containerPort":80,"protocol":"TCP"}"#])
    }
}
