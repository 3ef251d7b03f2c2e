import Logging
import SkiffAPI
import SkiffRegistry

/// Upstream's apiextensions controllers as one loop inside the API server: naming (accepted
/// names, `NamesAccepted`), establishing (`Established`, after which the resource is served
/// through the generic registry), and the `customresourcecleanup.apiextensions.k8s.io`
/// finalizer (a deleted CRD's objects are deleted, then the finalizer is removed, and the
/// resource leaves the registry and discovery).
public actor CustomResourceDefinitionController {
    static let resource = GroupResource(group: "apiextensions.k8s.io", resource: "customresourcedefinitions")

    let registry: Registry
    let clock: any TimestampClock
    /// Who calls the conversion webhooks of CRDs with the `Webhook` strategy; nil: versions are
    /// converted by rewriting `apiVersion` only.
    let converter: (any CustomResourceConverter)?
    let logger: Logger
    /// What each CRD is served as: the inputs the entries were built from, and their resources.
    private var served: [String: (fingerprint: JSONValue, resources: [GroupVersionResource])] = [:]

    public init(registry: Registry, clock: any TimestampClock = SystemClock(), converter: (any CustomResourceConverter)? = nil,
                logger: Logger) {
        self.registry = registry
        self.clock = clock
        self.converter = converter
        self.logger = logger
    }

    /// Serves every stored CRD (at start, before the server reports ready); returns the revision
    /// the CRDs were read at. The load happens once: `run()` starts watching from the same revision
    /// rather than listing again.
    @discardableResult
    public func loadStored() async throws -> Int64 {
        if let initialLoad { return try await initialLoad.value }
        let load = Task { try await self.serveStored() }
        initialLoad = load
        return try await load.value
    }

    /// The first load of the stored CRDs, shared by readiness and `run()`.
    private var initialLoad: Task<Int64, any Error>?

    /// Lists the stored CRDs and serves each; returns the revision of the list.
    private func serveStored() async throws -> Int64 {
        guard let crds = registry.store(for: Self.resource) else { return 0 }
        let listed = try await crds.list(namespace: nil, options: ListOptions())
        for item in listed.items { await reconcile(item.decoded, crds: crds) }
        return listed.revision
    }

    /// Reconciles CRDs as they change until cancelled; terminating CRDs are revisited every second
    /// until their objects are gone.
    public func run() async {
        guard let crds = registry.store(for: Self.resource) else { return }
        var relisting = false
        while !Task.isCancelled {
            do {
                var options = ListOptions()
                // The first watch starts where the start-up load read; after a failure, list afresh.
                options.resourceVersion = String(relisting ? try await serveStored() : try await loadStored())
                relisting = true
                let subscription = try await crds.watch(namespace: nil, options: options)
                for event in subscription.initialEvents { await handle(event, crds: crds) }
                await withDiscardingTaskGroup { group in
                    group.addTask { await self.revisitTerminating(crds: crds) }
                    for await event in subscription.events { await handle(event, crds: crds) }
                    group.cancelAll()
                }
            } catch {
                logger.warning("reading CustomResourceDefinitions failed; retrying", metadata: ["error": "\(error)"])
                try? await clock.sleep(for: .seconds(1))
            }
        }
    }

    private func revisitTerminating(crds: ResourceStore) async {
        while !Task.isCancelled {
            do { try await clock.sleep(for: .seconds(1)) } catch { return }
            var options = ListOptions()
            options.resourceVersion = "0"
            guard let listed = try? await crds.list(namespace: nil, options: options) else { continue }
            for crd in listed.items.map(\.decoded) where crd.deletionTimestamp != nil {
                await reconcile(crd, crds: crds)
            }
        }
    }

    private func handle(_ event: WatchCacheEvent, crds: ResourceStore) async {
        guard let object = event.object?.decoded else { return }
        switch event.kind {
        case .added, .modified: await reconcile(object, crds: crds)
        case .deleted: unserve(object.name ?? "")
        case .bookmark: return
        }
        await reconcileWaitingNames(inGroupOf: object, crds: crds)
    }

    /// Names a CRD gives up or changes may be the ones another CRD of its group waits for (as
    /// upstream's naming controller requeues the group): those not accepted yet are revisited.
    private func reconcileWaitingNames(inGroupOf crd: JSONValue, crds: ResourceStore) async {
        var options = ListOptions()
        options.resourceVersion = "0"
        guard let listed = try? await crds.list(namespace: nil, options: options) else { return }
        for item in listed.items {
            let other = item.decoded
            guard other.name != crd.name, other[path: "spec", "group"] == crd[path: "spec", "group"],
                  !Conditions(other[path: "status", "conditions"]).isTrue("NamesAccepted") else { continue }
            await reconcile(other, crds: crds)
        }
    }

    /// Brings one CRD's status and serving in line with its spec.
    func reconcile(_ crd: JSONValue, crds: ResourceStore) async {
        let name = crd.name ?? ""
        do {
            if crd.deletionTimestamp != nil {
                serve(crd)
                try await cleanUp(crd, crds: crds)
                return
            }
            let current = try await updateNames(of: crd, crds: crds)
            if Conditions(current[path: "status", "conditions"]).isTrue("Established") { serve(current) }
        } catch let error as APIError where error.code == 404 {
            unserve(name)
        } catch {
            logger.warning("reconciling a CustomResourceDefinition failed", metadata: ["crd": "\(name)", "error": "\(error)"])
        }
    }

    /// Writes the naming status when it differs; returns the CRD as stored.
    private func updateNames(of crd: JSONValue, crds: ResourceStore) async throws -> JSONValue {
        let builtins = registry.resources.filter { info in
            !served.values.contains { $0.resources.contains(info.groupVersionResource) }
        }
        var options = ListOptions()
        options.resourceVersion = "0"
        let others = try await crds.list(namespace: nil, options: options).items.map(\.decoded).filter { $0.name != crd.name }
        let group = crd[path: "spec", "group"]?.stringValue ?? ""
        let names = CustomResourceDefinitionNames(group: group, others: others, builtins: builtins)
        let now = clock.now
        if names.status(of: crd, now: now) == crd["status"] { return crd }
        return try await crds.guaranteedUpdate(namespace: nil, name: crd.name ?? "", precondition: nil, options: WriteOptions(),
                                               subresource: "status") { current in
            var updated = current
            updated["status"] = names.status(of: current, now: now)
            return updated
        }
    }

    /// Registers the CRD's served versions (again, when what they are built from changed) and
    /// unregisters versions no longer served.
    private func serve(_ crd: JSONValue) {
        let name = crd.name ?? ""
        let fingerprint: JSONValue = [
            "spec": crd["spec"] ?? .null, "names": crd[path: "status", "acceptedNames"] ?? .null,
            "terminating": .bool(crd.deletionTimestamp != nil),
        ]
        if served[name]?.fingerprint == fingerprint { return }
        let entries = CustomResourceEntries.entries(for: crd, converter: converter)
        let resources = entries.map(\.info.groupVersionResource)
        let gone = (served[name]?.resources ?? []).filter { !resources.contains($0) }
        if !gone.isEmpty { registry.unregister(gone) }
        registry.register(entries)
        served[name] = (fingerprint, resources)
        logger.info("serving custom resources", metadata: ["crd": "\(name)", "versions": "\(resources.map(\.version))"])
    }

    private func unserve(_ name: String) {
        guard let entry = served.removeValue(forKey: name) else { return }
        registry.unregister(entry.resources)
        logger.info("stopped serving custom resources", metadata: ["crd": "\(name)"])
    }

    /// Deletes every object of a terminating CRD, then removes the cleanup finalizer.
    private func cleanUp(_ crd: JSONValue, crds: ResourceStore) async throws {
        let name = crd.name ?? ""
        guard crd.finalizers.contains(CustomResourceDefinitionStrategy.cleanupFinalizer) else { return }
        if let store = served[name]?.resources.first.flatMap(registry.store(for:)) {
            try await setTerminating(name, reason: "InstanceDeletionInProgress", message: "CustomResource deletion is in progress", crds: crds)
            _ = try await store.deleteCollection(namespace: nil, listOptions: ListOptions(), options: DeleteOptions())
            let remaining = try await store.list(namespace: nil, options: ListOptions()).items.count
            if remaining > 0 {
                try await setTerminating(name, reason: "InstanceDeletionCheck",
                                         message: "could not confirm zero CustomResources remaining: \(remaining) remaining", crds: crds)
                return
            }
        }
        let now = clock.now
        _ = try await crds.guaranteedUpdate(namespace: nil, name: name, precondition: nil, options: WriteOptions()) { current in
            var updated = current
            updated.finalizers = current.finalizers.filter { $0 != CustomResourceDefinitionStrategy.cleanupFinalizer }
            var conditions = Conditions(current[path: "status", "conditions"])
            conditions.set("Terminating", status: true, reason: "InstanceDeletionCompleted", message: "removed all instances", now: now)
            updated[path: "status", "conditions"] = conditions.json
            return updated
        }
    }

    private func setTerminating(_ name: String, reason: String, message: String, crds: ResourceStore) async throws {
        let now = clock.now
        _ = try await crds.guaranteedUpdate(namespace: nil, name: name, precondition: nil, options: WriteOptions(),
                                            subresource: "status") { current in
            var updated = current
            var conditions = Conditions(current[path: "status", "conditions"])
            conditions.set("Terminating", status: true, reason: reason, message: message, now: now)
            updated[path: "status", "conditions"] = conditions.json
            return updated
        }
    }
}
