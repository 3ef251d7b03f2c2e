import SkiffAPI
import SkiffRegistry
import Synchronization

/// Server-side apply (`PATCH` with `application/apply-patch+yaml`): merges the configuration
/// into the live object under the request's field manager, creating the object if it does not
/// exist; conflicts with other managers are `409` unless `force=true`.
struct ApplyHandler: Sendable {
    let store: ResourceStore
    let namespace: String?
    let name: String
    let request: HTTPRequest
    let target: ResourceStore.UpdateTarget
    let admission: AdmissionContext

    func handle(configuration: JSONValue) async throws -> (object: JSONValue, created: Bool, warnings: [String]) {
        let info = store.info
        guard let manager = request.query["fieldManager"], !manager.isEmpty else {
            throw APIError.invalid(kind: GroupKind(group: "meta.k8s.io", kind: "PatchOptions"), name: "",
                                   errors: [.required("fieldManager", "is required for apply patch")])
        }
        let patchOptions = try PatchOptions(query: request.query)
        let force = patchOptions.force
        let (validated, warnings) = try (patchOptions.fieldValidation ?? .warn).check(configuration, info: info, strategy: store.strategy)
        let config = try store.normalizeIncoming(validated, namespace: namespace, name: name)
        let options = WriteOptions(dryRun: patchOptions.dryRun, fieldManager: manager, operation: .apply)
        let subresource = target.subresource
        let fieldManager = store.fieldManager(subresource: subresource)
        let fieldRequest = FieldManager.Request(manager: manager, subresource: subresource, apiVersion: store.info.apiVersion)
        let precondition = config.resourceVersion.flatMap { $0.isEmpty ? nil : $0 }
        let store = self.store
        let target = self.target
        do {
            let updated = try await store.guaranteedUpdate(namespace: namespace, name: name, precondition: precondition,
                                                           options: options, subresource: subresource, admission: admission) { old in
                var applied = try fieldManager.apply(config, to: old, by: fieldRequest, force: force)
                applied.resourceVersion = old.resourceVersion
                return store.merge(applied, into: old, target: target)
            }
            return (updated, false, warnings)
        } catch let error as APIError where error.code == 404 && target == .main && precondition == nil {
            let object = try fieldManager.apply(config, to: nil, by: fieldRequest, force: force)
            return (try await store.create(namespace: namespace, object: object, options: options, admission: admission), true, warnings)
        }
    }
}
