import SkiffAPI
import SkiffClient

/// Creates or updates a `CustomResource` type's CRD and waits until it is `Established` (served):
/// for tests and for operators that install their own CRD at start (`--install-crd`).
public enum CustomResourceDefinitionInstaller {
    static let resource = GroupVersionResource(group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions")

    /// Writes the CRD of `type` and returns once the server serves it.
    public static func install<Resource: CustomResource>(_ type: Resource.Type, client: KubernetesClient) async throws {
        let definitions = client.dynamic.resource(resource)
        let manifest = try CustomResourceDefinitionManifest.json(for: type)
        var written: JSONValue
        do {
            written = try await definitions.create(manifest)
        } catch let error as APIError where error.isAlreadyExists {
            written = try await retryOnConflict {
                var current = try await definitions.get(type.definitionName)
                current["spec"] = manifest["spec"]
                return try await definitions.update(current)
            }
        }
        if isEstablished(written) { return }
        let name = type.definitionName
        let events = try await definitions.watch(ListOptions(fieldSelector: "metadata.name=\(name)", resourceVersion: written.resourceVersion))
        for try await event in events {
            if let object = event.object, isEstablished(object) { return }
        }
        throw NotEstablished(name: name)
    }

    /// The watch ended before the CRD was established.
    public struct NotEstablished: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "CustomResourceDefinition \(name) was not established" }
    }

    private static func isEstablished(_ definition: JSONValue) -> Bool {
        definition["status"]?["conditions"]?.arrayValue?.contains {
            $0["type"]?.stringValue == "Established" && $0["status"]?.stringValue == "True"
        } ?? false
    }
}
