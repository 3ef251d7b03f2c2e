import SkiffAPI
import SkiffRegistry

/// The `scale` subresource: an `autoscaling/v1` `Scale` view of a workload's replicas.
struct ScaleHandler: Sendable {
    let store: ResourceStore
    let namespace: String?
    let name: String
    let request: HTTPRequest
    let admission: AdmissionContext

    func handle() async throws -> HTTPResponse {
        guard let paths = store.strategy.scalePaths else { throw APIError.notFound(store.info.groupResource, name: name) }
        switch request.method {
        case .GET:
            let object = try await store.get(namespace: namespace, name: name, resourceVersion: GetOptions(query: request.query).resourceVersion)
            return .json(Self.scale(of: object, paths: paths))
        case .PUT:
            let scale = try RequestBody.decodeObject(request)
            return .json(try await write(paths: paths, precondition: scale.resourceVersion) { _ in scale })
        default:
            let patch = try PatchRequest(request)
            let info = store.info
            return .json(try await write(paths: paths, precondition: nil) { current in try patch.apply(to: current, info: info, definition: "io.k8s.api.autoscaling.v1.Scale") })
        }
    }

    private func write(paths: ScalePaths, precondition: String?,
                       _ newScale: @escaping @Sendable (JSONValue) throws -> JSONValue) async throws -> JSONValue {
        let dryRun = try UpdateOptions(query: request.query).dryRun
        let name = self.name
        let updated = try await store.guaranteedUpdate(namespace: namespace, name: name, precondition: precondition.flatMap { $0.isEmpty ? nil : $0 },
                                                       options: WriteOptions(dryRun: dryRun, fieldManager: request.fieldManager),
                                                       subresource: "scale", admission: admission) { old in
            let scale = try newScale(Self.scale(of: old, paths: paths))
            guard let replicas = scale[path: "spec", "replicas"]?.intValue else {
                throw APIError.invalid(kind: GroupKind(group: "autoscaling", kind: "Scale"), name: name,
                                       errors: [.required("spec.replicas")])
            }
            guard replicas >= 0 else {
                throw APIError.invalid(kind: GroupKind(group: "autoscaling", kind: "Scale"), name: name,
                                       errors: [.invalid("spec.replicas", .int(replicas), "must be greater than or equal to 0")])
            }
            var object = old
            object[path: paths.specReplicas[...]] = .int(replicas)
            return object
        }
        return Self.scale(of: updated, paths: paths)
    }

    /// The `Scale` object of a workload.
    static func scale(of object: JSONValue, paths: ScalePaths) -> JSONValue {
        var metadata: JSONValue = .emptyObject
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            metadata[field] = object.metadata[field]
        }
        var status: JSONValue = ["replicas": object[path: paths.statusReplicas[...]] ?? 0]
        // Custom resources keep the selector serialised already (`labelSelectorPath`); an empty path: none.
        if !paths.labelSelector.isEmpty, let selector = object[path: paths.labelSelector[...]] {
            if let text = selector.stringValue {
                status["selector"] = .string(text)
            } else if let parsed = try? LabelSelector(selector: paths.selectorIsLabelMap ? ["matchLabels": selector] : selector) {
                status["selector"] = .string(parsed.description)
            }
        }
        return [
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": metadata,
            "spec": ["replicas": object[path: paths.specReplicas[...]] ?? 0], "status": status,
        ]
    }
}
