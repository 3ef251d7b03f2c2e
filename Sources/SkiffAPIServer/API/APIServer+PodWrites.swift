import NIOHTTP1
import SkiffAPI
import SkiffRegistry

extension APIServer {
    /// The writes to pods that other resources' stores do not hold: `pods/eviction` (checked
    /// against PodDisruptionBudgets) and the `bindings` collection (`POST
    /// /api/v1/namespaces/{namespace}/bindings`, upstream's legacy form of `pods/binding`, which
    /// names the pod in the Binding's `metadata.name`). Nil for every other request.
    func routePodWrite(_ path: ResourcePath, request: HTTPRequest, admission: AdmissionContext) async throws -> HTTPResponse? {
        let core = path.groupVersion == GroupVersion(group: "", version: "v1")
        guard core, path.resource == "pods" && path.subresource == "eviction" || path.resource == "bindings",
            let pods = registry.store(for: GroupVersionResource(group: "", version: "v1", resource: "pods"))
        else { return nil }
        guard request.method == .POST, let namespace = path.namespace else {
            throw APIError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
        let body = try RequestBody.decodeObject(request)
        let options = WriteOptions(dryRun: try UpdateOptions(query: request.query).dryRun, fieldManager: request.fieldManager)
        switch (path.name, path.subresource) {
        case (let name?, "eviction"?):
            guard let budgets = registry.store(for: GroupVersionResource(group: "policy", version: "v1", resource: "poddisruptionbudgets")) else {
                return nil
            }
            try await EvictionHandler(pods: pods, budgets: budgets, admission: admission)
                .evict(namespace: namespace, name: name, eviction: body, dryRun: options.dryRun)
        case (nil, nil):
            try await BindingHandler(store: pods, admission: admission).bind(namespace: namespace, name: body.name ?? "", binding: body, options: options)
        default:
            throw APIError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
        let format = ResponseFormat.negotiate(request.headers.first(name: "accept"), allowsProtobuf: true)
        return .negotiated(SuccessStatus.make(code: 201), format: format, status: .created)
    }
}
