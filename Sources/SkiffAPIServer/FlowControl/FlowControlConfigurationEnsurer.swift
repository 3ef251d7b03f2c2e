import Logging
import SkiffAPI
import SkiffRegistry

/// Keeps the bootstrap API priority and fairness configuration in the store at every start, as
/// upstream's `priority-and-fairness-config-producer`: a missing mandatory or suggested object is
/// created; a mandatory one always gets its bootstrap spec back (and the
/// `apf.kubernetes.io/autoupdate-spec: "true"` annotation); a suggested one only when that
/// annotation says `true` (absent, when the object is still at generation 1), the annotation
/// then written to say what was decided. An object annotated `true` that the bootstrap
/// configuration no longer names is deleted.
struct FlowControlConfigurationEnsurer: Sendable {
    let registry: Registry
    let logger: Logger

    func run() async throws {
        let resources: [(String, mandatory: [JSONValue], suggested: [JSONValue])] = [
            ("prioritylevelconfigurations", FlowControlBootstrap.mandatoryPriorityLevels, FlowControlBootstrap.suggestedPriorityLevels),
            ("flowschemas", FlowControlBootstrap.mandatoryFlowSchemas, FlowControlBootstrap.suggestedFlowSchemas),
        ]
        for (resource, mandatory, suggested) in resources {
            guard let store = registry.store(for: GroupResource(group: FlowControlBootstrap.group, resource: resource)) else { continue }
            for object in mandatory { try await ensure(object, in: store, mandatory: true) }
            for object in suggested { try await ensure(object, in: store, mandatory: false) }
            try await removeUnwanted(from: store, keeping: Set((mandatory + suggested).compactMap(\.name)))
        }
    }

    private func ensure(_ expected: JSONValue, in store: ResourceStore, mandatory: Bool) async throws {
        let name = expected.name ?? ""
        guard let existing = try? await store.get(namespace: nil, name: name) else {
            do {
                _ = try await store.create(namespace: nil, object: expected)
                logger.debug("created bootstrap flow control object", metadata: ["resource": "\(store.info.plural)", "name": "\(name)"])
            } catch let error as APIError where error.reason == .alreadyExists {}
            return
        }
        let autoUpdate = mandatory || Self.wantsAutoUpdate(existing)
        let written = try await store.guaranteedUpdate(namespace: nil, name: name, precondition: nil, options: WriteOptions()) { current in
            var object = current
            object[path: "metadata", "annotations", FlowControlBootstrap.autoUpdateAnnotation] = .string(autoUpdate ? "true" : "false")
            if autoUpdate { object["spec"] = expected["spec"] }
            return object
        }
        if written.resourceVersion != existing.resourceVersion {
            logger.info("reconciled bootstrap flow control object", metadata: ["resource": "\(store.info.plural)", "name": "\(name)"])
        }
    }

    /// Upstream's rule for a suggested object: the annotation when it is a boolean, else whether
    /// nobody has changed the object since it was created.
    static func wantsAutoUpdate(_ object: JSONValue) -> Bool {
        switch object.annotations[FlowControlBootstrap.autoUpdateAnnotation]?.lowercased() {
        case "true", "1", "t": return true
        case "false", "0", "f": return false
        default: return object.generation == 1
        }
    }

    private func removeUnwanted(from store: ResourceStore, keeping names: Set<String>) async throws {
        let objects = store.cache.snapshot(filter: WatchFilter()).objects.map(\.decoded)
        for object in objects {
            guard let name = object.name, !names.contains(name),
                object.annotations[FlowControlBootstrap.autoUpdateAnnotation] == "true" else { continue }
            do {
                _ = try await store.delete(namespace: nil, name: name)
                logger.info("deleted unwanted flow control object", metadata: ["resource": "\(store.info.plural)", "name": "\(name)"])
            } catch let error as APIError where error.reason == .notFound {}
        }
    }
}
