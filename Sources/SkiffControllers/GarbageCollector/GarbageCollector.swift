import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient
import Synchronization

/// Deletes objects whose owners are gone and carries out the foreground and orphan deletion
/// policies (upstream's garbage collector).
///
/// Every resource the server serves that can be listed, watched and deleted gets a dynamic
/// informer (from the shared factory, so resources other controllers watch share the cache);
/// their events build an `OwnershipGraph`. Work is keyed by object UID:
/// - an object with owner references is checked against its owners, read live from the server:
///   when none exists any more (or the one by that name has another UID) it is deleted;
///   references to vanished owners are dropped while another owner remains;
/// - an owner being deleted in the foreground (`foregroundDeletion` finalizer) has its
///   dependents deleted, and loses the finalizer once no dependent with
///   `blockOwnerDeletion: true` is left;
/// - an owner being deleted with the `orphan` finalizer has its references removed from its
///   dependents, then loses the finalizer.
///
/// Discovery runs again every `rediscoveryInterval`, so resources added later (CRDs) are
/// watched too.
public final class GarbageCollector: Sendable {
    static let orphanFinalizer = "orphan"
    static let foregroundFinalizer = "foregroundDeletion"

    public struct Configuration: Sendable {
        /// Objects processed at the same time.
        public var workers = 4
        /// How often discovery looks for new resources to watch.
        public var rediscoveryInterval: Duration = .seconds(30)
        /// Resources never watched (upstream ignores events).
        public var ignoredResources: Set<GroupResource> = [
            GroupResource(group: "", resource: "events"), GroupResource(group: "events.k8s.io", resource: "events"),
        ]

        public init() {}
    }

    private let configuration: Configuration
    private let context: ControllerContext
    private let graph = OwnershipGraph()
    private let monitors = Mutex<[GroupVersionResource: SharedInformer<JSONValue>]>([:])
    /// Set once the first discovery has found the resources to watch.
    private let discovered = SyncLatch()
    private let queue: DelayingWorkQueue<String>
    private let mapper: RESTMapper
    private let logger: Logger

    public init(context: ControllerContext, configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.context = context
        queue = DelayingWorkQueue(
            name: "garbagecollector", rateLimiter: MaxOfRateLimiter.defaultController(clock: context.clock), clock: context.clock)
        mapper = RESTMapper(discovery: context.client.discovery)
        logger = context.logger(for: "garbagecollector")
    }

    /// Watches every resource, waits for the caches, then collects until graceful shutdown
    /// (which drains the queue, then stops the monitors) or cancellation.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.queue.run() }
            group.addTask { await self.monitorResources() }
            await withTaskCancellationOrGracefulShutdownHandler {
                guard await cancelWhenGracefulShutdown({ await self.waitForMonitors() }) else { return }
                await withDiscardingTaskGroup { workers in
                    for _ in 0..<max(self.configuration.workers, 1) {
                        workers.addTask { await self.work() }
                    }
                }
            } onCancelOrGracefulShutdown: {
                self.queue.shutDown()
            }
            group.cancelAll()
        }
    }

    /// Adds an informer for every new deletable resource, now and after every interval.
    private func monitorResources() async {
        while !Task.isCancelled {
            await discoverResources()
            try? await context.clock.sleep(for: configuration.rediscoveryInterval)
        }
    }

    private func discoverResources() async {
        do {
            let served = try await context.client.discovery.preferredResources().resources
            for resource in served where isCollectable(resource) && monitors.withLock({ $0[resource.resource] == nil }) {
                monitor(resource.resource)
            }
            discovered.set()
        } catch {
            logger.warning("discovery failed", metadata: ["error": "\(error)"])
        }
    }

    private func isCollectable(_ resource: ServedResource) -> Bool {
        resource.supports(["list", "watch", "delete"]) && !configuration.ignoredResources.contains(resource.resource.groupResource)
    }

    /// Waits for the first discovery and the caches of what it found; false if cancelled first.
    private func waitForMonitors() async -> Bool {
        guard await discovered.wait() else { return false }
        for informer in monitors.withLock({ Array($0.values) }) {
            guard await informer.waitForCacheSync() else { return false }
        }
        return true
    }

    /// Feeds the graph and the queue from `resource`'s informer.
    private func monitor(_ resource: GroupVersionResource) {
        let graph = self.graph
        let queue = self.queue
        let informer = context.informers.informer(for: resource)
        monitors.withLock { $0[resource] = informer }
        informer.addHandler { event in
            switch event {
            case .added(let object, _), .updated(_, let object):
                graph.upsert(object, resource: resource)
                if let uid = object.uid { queue.add(uid) }
            case .deleted(let deleted):
                guard let node = graph.remove(deleted.object) else { return }
                // Dependents may now be dangling, and an owner may be waiting for this one to go.
                graph.dependents(of: node.uid).forEach { queue.add($0.uid) }
                node.owners.forEach { queue.add($0.uid) }
            }
        }
    }

    private func work() async {
        while let uid = await queue.get() {
            do {
                try await sync(uid)
                queue.forget(uid)
            } catch {
                logger.debug("sync failed, retrying", metadata: ["uid": "\(uid)", "error": "\(error)"])
                queue.addRateLimited(uid)
            }
            queue.done(uid)
        }
    }

    private func sync(_ uid: String) async throws {
        guard let node = graph.node(uid) else { return }
        if node.isOrphaningDependents {
            for dependent in cachedDependents(of: uid) {
                try await removeOwnerReferences(to: [uid], from: dependent)
            }
            try await removeFinalizer(Self.orphanFinalizer, from: node)
            logger.debug("orphaned dependents", metadata: ["owner": "\(node.resource.resource)/\(node.name)"])
        } else if node.isDeletingDependents {
            let dependents = cachedDependents(of: uid)
            let blocking = dependents.filter { dependent in dependent.owners.contains { $0.uid == uid && $0.blockOwnerDeletion } }
            if blocking.isEmpty {
                try await removeFinalizer(Self.foregroundFinalizer, from: node)
            } else {
                dependents.filter { !$0.isBeingDeleted }.forEach { queue.add($0.uid) }
            }
        }
        if !node.owners.isEmpty, !node.isBeingDeleted {
            try await collect(node)
        }
    }

    /// The cached objects naming `uid` as an owner, across every watched resource.
    private func cachedDependents(of uid: String) -> [OwnershipGraph.Node] {
        monitors.withLock { Array($0) }.flatMap { resource, informer in
            informer.indexer.list()
                .filter { object in object.ownerReferences.contains { $0["uid"]?.stringValue == uid } }
                .compactMap { OwnershipGraph.Node($0, resource: resource) }
        }
    }

    /// How an owner reference of a dependent stands.
    private enum OwnerState {
        /// The owner exists and is not waiting for its dependents.
        case solid
        /// The owner is gone, or another object (another UID) has its name.
        case dangling
        /// The owner is being deleted in the foreground.
        case waitingForDependents
    }

    /// Deletes `dependent` when no owner of it remains; drops its references to vanished owners otherwise.
    private func collect(_ dependent: OwnershipGraph.Node) async throws {
        var states: [String: OwnerState] = [:]
        for owner in dependent.owners {
            states[owner.uid] = try await state(of: owner, dependent: dependent)
        }
        let solid = states.values.contains { if case .solid = $0 { true } else { false } }
        if solid {
            let unneeded = states.filter { if case .solid = $0.value { false } else { true } }.map(\.key)
            if !unneeded.isEmpty { try await removeOwnerReferences(to: Set(unneeded), from: dependent) }
            return
        }
        let waiting = states.values.contains { if case .waitingForDependents = $0 { true } else { false } }
        let policy: DeleteOptions.PropagationPolicy =
            if waiting && !graph.dependents(of: dependent.uid).isEmpty || dependent.finalizers.contains(Self.foregroundFinalizer) {
                .foreground
            } else if dependent.finalizers.contains(Self.orphanFinalizer) {
                .orphan
            } else {
                .background
            }
        logger.debug("deleting dependent", metadata: ["object": "\(dependent.resource.resource)/\(dependent.name)", "policy": "\(policy.rawValue)"])
        do {
            try await client(for: dependent).delete(
                dependent.name, options: DeleteOptions(propagationPolicy: policy, preconditions: .init(uid: dependent.uid)))
        } catch let error as APIError where error.isNotFound || error.isConflict {
            // Gone already, or replaced by another object of the same name.
        }
    }

    /// Reads the owner from the server (the graph may lag behind it).
    private func state(of owner: OwnershipGraph.Owner, dependent: OwnershipGraph.Node) async throws -> OwnerState {
        guard let groupVersion = GroupVersion(apiVersion: owner.apiVersion) else { return .dangling }
        let mapping = try await mapper.mapping(for: GroupVersionKind(group: groupVersion.group, version: groupVersion.version, kind: owner.kind))
        var owners = context.client.dynamic.resource(mapping.resource)
        if mapping.namespaced {
            // A cluster-scoped object cannot be owned by a namespaced one.
            guard let namespace = dependent.namespace else { return .dangling }
            owners = owners.namespace(namespace)
        }
        let object: JSONValue
        do {
            object = try await owners.get(owner.name)
        } catch let error as APIError where error.isNotFound {
            return .dangling
        }
        guard object.uid == owner.uid else { return .dangling }
        let deletingDependents = object.deletionTimestamp != nil && object.finalizers.contains(Self.foregroundFinalizer)
        return deletingDependents ? .waitingForDependents : .solid
    }

    private func removeOwnerReferences(to owners: Set<String>, from dependent: OwnershipGraph.Node) async throws {
        try await update(dependent) { object in
            object.ownerReferences.removeAll { owners.contains($0["uid"]?.stringValue ?? "") }
        }
    }

    private func removeFinalizer(_ finalizer: String, from node: OwnershipGraph.Node) async throws {
        try await update(node) { object in object.finalizers.removeAll { $0 == finalizer } }
    }

    /// Reads the object, changes it and writes it back (a conflict is retried by the queue);
    /// nothing happens when it is gone or has another UID.
    private func update(_ node: OwnershipGraph.Node, _ change: (inout JSONValue) -> Void) async throws {
        let objects = client(for: node)
        do {
            var object = try await objects.get(node.name)
            guard object.uid == node.uid else { return }
            let original = object
            change(&object)
            if object != original { _ = try await objects.update(object) }
        } catch let error as APIError where error.isNotFound {
            return
        }
    }

    private func client(for node: OwnershipGraph.Node) -> ResourceClient<JSONValue> {
        let objects = context.client.dynamic.resource(node.resource)
        return node.namespace.map { objects.namespace($0) } ?? objects
    }
}
