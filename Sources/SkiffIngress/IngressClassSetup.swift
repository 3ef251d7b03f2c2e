import SkiffAPI
import SkiffClient
import SkiffModels

/// Creates the controller's IngressClass if it is missing, marked as the cluster's default when
/// no other class is. An existing class is left as it is (an administrator may have changed it).
struct IngressClassSetup: Sendable {
    let configuration: IngressConfiguration
    let client: ResourceClient<NetworkingV1.IngressClass>

    func ensure() async throws {
        do {
            _ = try await client.get(configuration.className)
            return
        } catch let error as APIError where error.isNotFound {}
        let others = try await client.list().items
        var metadata = ObjectMeta(name: configuration.className)
        if !others.contains(where: IngressClassMembership.isDefault) {
            metadata.annotations = [IngressClassMembership.defaultClassAnnotation: "true"]
        }
        let ingressClass = NetworkingV1.IngressClass(metadata: metadata, spec: NetworkingV1.IngressClassSpec(controller: configuration.controllerName))
        do {
            _ = try await client.create(ingressClass)
        } catch let error as APIError where error.reason == .alreadyExists {}
    }
}
