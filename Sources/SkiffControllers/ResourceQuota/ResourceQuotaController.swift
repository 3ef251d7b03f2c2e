import Logging
import SkiffAPI
import SkiffClient
import SkiffComponentHelpers
import SkiffModels

/// Keeps every ResourceQuota's status (upstream's resource quota controller): `status.hard` is
/// `spec.hard`, `status.used` what the namespace's objects selected by the quota's scopes use of
/// each limited resource (zero when nothing), recomputed when the objects change and every
/// `syncPeriod` (counts of resources no typed informer watches: on the period only). Namespaces are the keys; a quota's own change queues its namespace only when
/// its spec and status differ, so the admission plugin's charges (status writes) are not undone
/// by a count from caches that have not seen the new object yet.
public struct ResourceQuotaController: Sendable {
    public struct Configuration: Sendable {
        /// How often every quota is recomputed (upstream's `--resource-quota-sync-period`).
        public var syncPeriod: Duration = .seconds(300)

        public init() {}
    }

    private let controller: Controller<CoreV1.Namespace>

    public init(context: ControllerContext, configuration: Configuration = Configuration(), workers: Int = 5) {
        let namespaces = context.informers.informer(for: CoreV1.Namespace.self)
        let quotas = context.informers.informer(for: CoreV1.ResourceQuota.self)
        let sources = QuotaSource.builtin(context.informers)
        let discovered = DiscoveredCounts(client: context.client, watched: Set(sources.map(\.resource)))
        let sync = Sync(quotas: quotas.lister, sources: sources, discovered: discovered, client: context.client.core.v1.resourceQuotas(),
                        syncPeriod: configuration.syncPeriod)
        controller = Controller(
            configuration: .init(name: "resourcequota", workers: workers), informer: namespaces, key: \.cacheKey, reconciler: sync,
            clock: context.clock, logger: context.logger(for: "resourcequota"))
        controller.watch(quotas) { quota in Sync.isSynced(quota) ? [] : [quota.namespace] }
        let lister = quotas.lister
        for source in sources {
            source.watch(controller) { namespace in lister.namespace(namespace).list().isEmpty ? [] : [namespace] }
        }
    }

    /// Keeps quotas' status until cancelled.
    public func run() async {
        await controller.run()
    }

    private struct Sync: Reconciler {
        let quotas: TypedLister<CoreV1.ResourceQuota>
        let sources: [QuotaSource]
        let discovered: DiscoveredCounts
        let client: ResourceClient<CoreV1.ResourceQuota>
        let syncPeriod: Duration

        func reconcile(_ namespace: String, logger: Logger) async throws -> ReconcileResult {
            let inNamespace = quotas.namespace(namespace).list()
            guard !inNamespace.isEmpty else { return .done }
            for source in sources {
                guard await source.waitForCacheSync() else { return .done }
            }
            for quota in inNamespace {
                let document = try JSONValue(encoding: quota)
                let wanted = try await status(of: document, namespace: namespace)
                guard wanted != (try? JSONValue(encoding: quota.status)) else { continue }
                var updated = quota
                updated.status = try wanted.decoded(as: CoreV1.ResourceQuotaStatus.self)
                do {
                    _ = try await client.namespace(namespace).updateStatus(updated)
                    logger.debug("updated quota status", metadata: ["quota": "\(quota.name)"])
                } catch let error as APIError where error.isNotFound {
                    continue
                }
            }
            return .requeueAfter(syncPeriod)
        }

        /// The quota's status as it should be: its hard limits and what the namespace uses of them.
        func status(of quota: JSONValue, namespace: String) async throws -> JSONValue {
            let hard = ResourceAmounts(json: quota[path: "spec", "hard"])
            var used = ResourceAmounts()
            for source in sources {
                let counted = QuotaEvaluator.matchingResources(hard.names, resource: source.resource)
                guard !counted.isEmpty else { continue }
                var total = ResourceAmounts(Dictionary(uniqueKeysWithValues: counted.map { ($0, ResourceQuantity(.int(0))!) }))
                for object in source.objects(namespace) where QuotaScopes.select(object, resource: source.resource, quota: quota) {
                    total = total + QuotaEvaluator.usage(of: object, resource: source.resource).masked(to: counted)
                }
                used = used + total
            }
            used = used + (try await discovered.counts(for: hard.names, namespace: namespace, quota: quota))
            return ["hard": hard.json, "used": used.json]
        }

        /// Whether the quota's status already has its spec's limits (its last change was a
        /// status write, not a new limit).
        static func isSynced(_ quota: CoreV1.ResourceQuota) -> Bool {
            guard let hard = quota.status?.hard else { return false }
            let wanted = ResourceAmounts(json: try? JSONValue(encoding: quota.spec?.hard ?? [:]))
            return ResourceAmounts(json: try? JSONValue(encoding: hard)).amounts == wanted.amounts
        }
    }
}
