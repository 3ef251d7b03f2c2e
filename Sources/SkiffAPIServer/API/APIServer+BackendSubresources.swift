import SkiffAPI
import SkiffRegistry

extension APIServer {
    /// The subresources the API server answers by reaching something else, as upstream's
    /// connecter subresources do: the pod's kubelet for `pods/log`, `pods/exec`, `pods/attach`
    /// and `pods/portforward`. Nil for every other request.
    func routeBackendSubresource(_ path: ResourcePath, store: ResourceStore, request: HTTPRequest) async throws -> HTTPResponse? {
        guard path.groupVersion == GroupVersion(group: "", version: "v1"), let name = path.name, let subresource = path.subresource,
            let nodes = registry.store(for: GroupVersionResource(group: "", version: "v1", resource: "nodes"))
        else { return nil }
        switch (path.resource, subresource) {
        case ("pods", "log"):
            return try await PodLogHandler(pods: store, nodes: nodes, namespace: path.namespace, name: name, request: request).handle()
        case ("pods", "exec"), ("pods", "attach"), ("pods", "portforward"):
            return try await PodStreamHandler(
                pods: store, nodes: nodes, namespace: path.namespace, name: name, subresource: subresource, request: request
            ).handle()
        default:
            return nil
        }
    }
}
