import Logging
import SkiffAPI
import Synchronization

/// One list-and-watch of a resource shared by many handlers (client-go's `SharedIndexInformer`):
/// a `Reflector` fills the `Indexer`, and every change goes to every handler in order.
///
/// Handlers run one at a time each, on their own task in `run()`'s task group, fed by an
/// unbounded queue (as client-go's listeners) so a slow handler does not hold up the others.
/// A handler added after the cache filled first receives an add for every cached object.
public final class SharedInformer<Object: Sendable>: Sendable {
    /// A registered handler, to remove it again.
    public struct Registration: Sendable, Hashable {
        let id: Int
    }

    public typealias Handler = @Sendable (InformerEvent<Object>) async -> Void

    private struct Listener {
        var continuation: AsyncStream<InformerEvent<Object>>.Continuation
    }

    private struct State {
        var listeners: [Int: Listener] = [:]
        var nextID = 0
        var resourceVersion = ""
    }

    /// The cache the informer fills; read it through listers.
    public let indexer: Indexer<Object>
    private let source: any ListerWatcher<Object>
    private let identity: ObjectIdentity<Object>
    private let configuration: ReflectorConfiguration
    private let clock: any Clock<Duration>
    private let logger: Logger
    private let state = Mutex(State())
    private let synced = SyncLatch()
    /// Handlers waiting for `run()` to give them a task.
    private let pendingHandlers: AsyncStream<(AsyncStream<InformerEvent<Object>>, Handler)>
    private let pendingHandlersInput: AsyncStream<(AsyncStream<InformerEvent<Object>>, Handler)>.Continuation

    public init(
        source: any ListerWatcher<Object>, identity: ObjectIdentity<Object>, indexer: Indexer<Object>,
        configuration: ReflectorConfiguration = ReflectorConfiguration(),
        clock: any Clock<Duration> = ContinuousClock(), logger: Logger
    ) {
        self.source = source
        self.identity = identity
        self.indexer = indexer
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        (pendingHandlers, pendingHandlersInput) = AsyncStream.makeStream()
    }

    /// Whether the first list has been stored.
    public var hasSynced: Bool { synced.isSet }

    /// The resourceVersion the cache is at (of the last list or event).
    public var lastSyncResourceVersion: String { state.withLock { $0.resourceVersion } }

    /// Waits until the first list has been stored; false if the task was cancelled first.
    public func waitForCacheSync() async -> Bool {
        await synced.wait()
    }

    /// Adds a handler; it is called for every later change, and first with an add for every
    /// object already cached.
    @discardableResult
    public func addHandler(_ handler: @escaping Handler) -> Registration {
        let (events, continuation) = AsyncStream<InformerEvent<Object>>.makeStream()
        let id = state.withLock { state -> Int in
            state.nextID += 1
            for object in indexer.list() { continuation.yield(.added(object, isInInitialList: true)) }
            state.listeners[state.nextID] = Listener(continuation: continuation)
            return state.nextID
        }
        pendingHandlersInput.yield((events, handler))
        return Registration(id: id)
    }

    /// Stops calling a handler (events already queued for it are still delivered).
    public func removeHandler(_ registration: Registration) {
        state.withLock { $0.listeners.removeValue(forKey: registration.id) }?.continuation.finish()
    }

    /// Lists, watches and calls handlers until cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { [pendingHandlers] in
                await withDiscardingTaskGroup { handlers in
                    for await (events, handler) in pendingHandlers {
                        handlers.addTask {
                            for await event in events { await handler(event) }
                        }
                    }
                }
            }
            group.addTask { await self.runReflector(clock: self.clock) }
        }
    }

    private func runReflector(clock: some Clock<Duration>) async {
        await Reflector(
            source: source, store: InformerStore(informer: self), identity: identity, configuration: configuration,
            clock: clock, logger: logger
        ).run()
    }

    /// Applies a change to the cache and queues it for every handler, atomically with respect
    /// to handlers being added.
    fileprivate func apply(_ change: (Indexer<Object>) -> [InformerEvent<Object>], resourceVersion: String?) {
        state.withLock { state in
            for event in change(indexer) {
                for listener in state.listeners.values { listener.continuation.yield(event) }
            }
            if let resourceVersion { state.resourceVersion = resourceVersion }
        }
    }

    fileprivate func markSynced() {
        synced.set()
    }

    fileprivate var objectIdentity: ObjectIdentity<Object> { identity }
}

/// The informer as the reflector's store: turns lists and events into cache changes and
/// handler events.
private struct InformerStore<Object: Sendable>: ReflectorStore {
    let informer: SharedInformer<Object>

    func replace(_ objects: [Object], resourceVersion: String) {
        let identity = informer.objectIdentity
        let initial = !informer.hasSynced
        informer.apply({ indexer in
            var events: [InformerEvent<Object>] = []
            var listed = Set<String>()
            for object in objects {
                let key = identity.key(object)
                listed.insert(key)
                if let old = indexer.get(key: key) {
                    if identity.resourceVersion(old) != identity.resourceVersion(object) {
                        events.append(.updated(old: old, new: object))
                    }
                } else {
                    events.append(.added(object, isInInitialList: initial))
                }
            }
            for gone in indexer.replace(objects) {
                events.append(.deleted(.finalStateUnknown(key: identity.key(gone), lastKnown: gone)))
            }
            return events
        }, resourceVersion: resourceVersion)
        informer.markSynced()
    }

    func add(_ object: Object) {
        upsert(object)
    }

    func update(_ object: Object) {
        upsert(object)
    }

    private func upsert(_ object: Object) {
        let identity = informer.objectIdentity
        informer.apply({ indexer in
            let old = indexer.get(key: identity.key(object))
            indexer.add(object)
            if let old { return [.updated(old: old, new: object)] }
            return [.added(object, isInInitialList: false)]
        }, resourceVersion: identity.resourceVersion(object))
    }

    func delete(_ object: Object) {
        let identity = informer.objectIdentity
        informer.apply({ indexer in
            indexer.delete(key: identity.key(object))
            return [.deleted(.object(object))]
        }, resourceVersion: identity.resourceVersion(object))
    }

    func resync() {
        informer.apply({ indexer in indexer.list().map { .updated(old: $0, new: $0) } }, resourceVersion: nil)
    }
}
