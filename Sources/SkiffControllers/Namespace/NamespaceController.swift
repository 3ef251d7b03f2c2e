import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// Empties namespaces being deleted, then lets them go (upstream's namespace controller): every
/// namespaced resource the server serves is deleted in the namespace, progress is reported in
/// the namespace's conditions, and once nothing is left the `kubernetes` finalizer is removed
/// through the `finalize` subresource, which ends the namespace.
public struct NamespaceController: Sendable {
    /// The finalizer of `spec.finalizers` this controller owns.
    static let finalizer = "kubernetes"
    /// How soon a namespace whose content is still going away is looked at again.
    static let recheckInterval: Duration = .seconds(1)

    private let controller: Controller<CoreV1.Namespace>

    public init(context: ControllerContext, workers: Int = 2) {
        let namespaces = context.informers.informer(for: CoreV1.Namespace.self)
        controller = Controller(
            configuration: .init(name: "namespace", workers: workers), informer: namespaces, key: \.cacheKey,
            reconciler: Sync(namespaces: namespaces.lister, client: context.client, clock: context.clock), clock: context.clock, logger: context.logger(for: "namespace"))
    }

    /// Reconciles namespaces until cancelled.
    public func run() async {
        await controller.run()
    }

    /// What deleting a namespace's content found.
    private struct ContentReport {
        var discoveryFailures: [String] = []
        var deletionFailures: [String] = []
        /// Resource (`configmaps.`, `deployments.apps`) → objects still there.
        var remaining: [String: Int] = [:]
        /// Finalizer → objects still holding it.
        var finalizers: [String: Int] = [:]

        var isEmpty: Bool { discoveryFailures.isEmpty && deletionFailures.isEmpty && remaining.isEmpty }

        var conditions: [NamespaceCondition] {
            [
                .discovery(failures: discoveryFailures), .parsedGroupVersions, .contentDeletion(failures: deletionFailures),
                .contentRemaining(remaining), .finalizersRemaining(finalizers),
            ]
        }
    }

    private struct Sync: Reconciler {
        let namespaces: TypedLister<CoreV1.Namespace>
        let client: KubernetesClient
        let clock: any TimestampClock

        func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
            guard let namespace = namespaces.get(key), namespace.isBeingDeleted,
                namespace.spec?.finalizers?.contains(NamespaceController.finalizer) == true
            else { return .done }
            do {
                let report = try await deleteContent(of: key, logger: logger)
                try await updateConditions(of: namespace, report.conditions)
                guard report.isEmpty else {
                    logger.debug("content remains", metadata: ["remaining": "\(report.remaining)"])
                    return .requeueAfter(NamespaceController.recheckInterval)
                }
                try await finalize(namespace)
                logger.info("namespace emptied and finalized")
            } catch let error as APIError where error.isNotFound {
                // Finalized meanwhile: the cache has not caught up yet.
            }
            return .done
        }

        /// Deletes everything in `namespace` and counts what is left.
        private func deleteContent(of namespace: String, logger: Logger) async throws -> ContentReport {
            var report = ContentReport()
            let served = try await client.discovery.preferredResources()
            report.discoveryFailures = served.failures.keys.map(\.description)
            for resource in served.resources where resource.namespaced && resource.supports(["list", "delete"]) {
                let objects = client.dynamic.resource(resource.resource).namespace(namespace)
                let name = resource.resource.groupResource.description
                do {
                    if resource.supports(["deletecollection"]) {
                        try await objects.deleteCollection(DeleteOptions(propagationPolicy: .background))
                    } else {
                        for object in try await objects.listAll().items where object.deletionTimestamp == nil {
                            try await deleteIgnoringMissing(object.name ?? "", from: objects)
                        }
                    }
                    let left = try await objects.listAll().items
                    guard !left.isEmpty else { continue }
                    report.remaining["\(resource.resource.resource).\(resource.resource.group)", default: 0] += left.count
                    for finalizer in left.flatMap(\.finalizers) { report.finalizers[finalizer, default: 0] += 1 }
                } catch {
                    logger.warning("could not delete content", metadata: ["resource": "\(name)", "error": "\(error)"])
                    report.deletionFailures.append(name)
                }
            }
            return report
        }

        private func deleteIgnoringMissing(_ name: String, from objects: ResourceClient<JSONValue>) async throws {
            do {
                try await objects.delete(name, options: DeleteOptions(propagationPolicy: .background))
            } catch let error as APIError where error.isNotFound {
                return
            }
        }

        /// Writes the deletion conditions when they changed.
        private func updateConditions(of namespace: CoreV1.Namespace, _ conditions: [NamespaceCondition]) async throws {
            let existing = namespace.status?.conditions ?? []
            let types = Set(conditions.map(\.type))
            let now = clock.now
            let updated = existing.filter { !types.contains($0.type) }
                + conditions.map { condition in condition.model(previous: existing.first { $0.type == condition.type }, now: now) }
            // The same conditions in another order are no change.
            guard updated.count != existing.count || !updated.allSatisfy(existing.contains) else { return }
            var object = namespace
            var status = object.status ?? CoreV1.NamespaceStatus()
            status.conditions = updated
            object.status = status
            _ = try await client.core.v1.namespaces().updateStatus(object)
        }

        /// Removes this controller's finalizer through `PUT /api/v1/namespaces/{name}/finalize`.
        private func finalize(_ namespace: CoreV1.Namespace) async throws {
            var object = try await client.core.v1.namespaces().get(namespace.name)
            var spec = object.spec ?? CoreV1.NamespaceSpec()
            spec.finalizers = (spec.finalizers ?? []).filter { $0 != NamespaceController.finalizer }
            object.spec = spec
            let request = APIRequest(.PUT, CoreV1.Namespace.groupVersionResource).name(namespace.name).subresource("finalize")
            try await client.rest.send(request.body(try JSONValue(encoding: object)))
        }
    }
}
