import SkiffAPI
import SkiffRegistry

extension APIServer {
    /// The subresources the API server answers by reaching something else, as upstream's
    /// connecter subresources do: the pod's kubelet for `pods/log`, `pods/exec`, `pods/attach`
    /// and `pods/portforward`; the pod for `pods/proxy`; a ready endpoint of the service for
    /// `services/proxy`; the node's kubelet for `nodes/proxy`. Nil for every other request.
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
        case ("pods", "proxy"), ("services", "proxy"), ("nodes", "proxy"):
            guard let locator = proxyLocator(nodes: nodes) else { return nil }
            let location = try await locator.locate(resource: path.resource, namespace: path.namespace, id: name)
            // `/api/v1` and, for pods and services, `/namespaces/{namespace}`, then `{resource}/{name}/proxy`.
            let prefixSegments = 2 + (path.namespace == nil ? 0 : 2) + 3
            return try await ProxyHandler(location: location, request: request, prefixSegments: prefixSegments).handle()
        default:
            return nil
        }
    }

    private func proxyLocator(nodes: ResourceStore) -> ProxyLocator? {
        let store = { (resource: String) in self.registry.store(for: GroupVersionResource(group: "", version: "v1", resource: resource)) }
        guard let pods = store("pods"), let services = store("services"), let endpoints = store("endpoints") else { return nil }
        return ProxyLocator(pods: pods, services: services, endpoints: endpoints, nodes: nodes)
    }
}
