import Logging
import SkiffAPI
import SkiffRegistry

/// Upstream's `validatingadmissionpolicy-status-controller`: a ValidatingAdmissionPolicy whose
/// `metadata.generation` is newer than its `status.observedGeneration` is type-checked
/// (`PolicyTypeChecking`) and gets `status.observedGeneration` and
/// `status.typeChecking.expressionWarnings` (other status fields kept). Upstream runs it in the
/// controller manager; Skiff runs it in the API server, where the schemas are.
struct PolicyStatusController: Sendable {
    /// The field manager of the status writes, upstream's controller name.
    static let fieldManager = "validatingadmissionpolicy-status-controller"

    let registry: Registry
    let clock: any TimestampClock
    let logger: Logger
    var interval: Duration = .seconds(10)

    /// Checks every policy at start and each one created or changed, until cancelled; every
    /// `interval`, those whose status write failed are checked again.
    func run() async {
        guard let store = policies else { return }
        await CacheWatchLoop(registry: registry, store: store, clock: clock, interval: interval)
            .run(syncAll: { await checkAll() }, handle: { event in
                guard event.kind != .deleted, let policy = event.object?.decoded else { return }
                await reconcile(policy, in: store)
            })
    }

    private var policies: ResourceStore? {
        registry.store(for: GroupResource(group: "admissionregistration.k8s.io", resource: "validatingadmissionpolicies"))
    }

    private func checkAll() async {
        guard let store = policies else { return }
        for policy in store.cache.snapshot(filter: WatchFilter()).objects.map(\.decoded) {
            await reconcile(policy, in: store)
        }
    }

    /// Type-checks `policy` and records the outcome, unless its generation was checked already.
    func reconcile(_ policy: JSONValue, in store: ResourceStore) async {
        let generation = policy.generation ?? 0
        guard generation > policy[path: "status", "observedGeneration"]?.intValue ?? 0 else { return }
        let warnings = PolicyTypeChecking(registry: registry).warnings(for: policy).map { warning -> JSONValue in
            ["fieldRef": .string(warning.fieldRef), "warning": .string(warning.warning)]
        }
        let typeChecking: JSONValue = warnings.isEmpty ? .emptyObject : ["expressionWarnings": .array(warnings)]
        do {
            _ = try await store.guaranteedUpdate(
                namespace: nil, name: policy.name ?? "", precondition: nil, options: WriteOptions(fieldManager: Self.fieldManager), subresource: "status"
            ) { current in
                guard current.generation == generation else { return current }
                var updated = current
                updated[path: "status", "observedGeneration"] = .int(generation)
                updated[path: "status", "typeChecking"] = typeChecking
                return updated
            }
        } catch let error as APIError where error.code == 404 {
            // Deleted since the cache saw it.
        } catch {
            logger.warning("recording a policy's type checking failed", metadata: ["policy": "\(policy.name ?? "")", "error": "\(error)"])
        }
    }
}
