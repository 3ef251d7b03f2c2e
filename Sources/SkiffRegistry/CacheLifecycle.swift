/// Which watch caches run: those registered before `Registry.run()` start with it, those
/// registered later start at once, and an unregistered or replaced resource's cache stops.
struct CacheLifecycle: Sendable {
    /// One cache's run, until its resource is unregistered or the registry stops.
    struct Run: Sendable {
        let store: ResourceStore
        let stopped: AsyncStream<Never>

        func run() async {
            await withDiscardingTaskGroup { group in
                group.addTask { await store.cache.run() }
                for await _ in stopped {}
                group.cancelAll()
            }
        }
    }

    /// Counts every change of the set of stores (documents derived from it are rebuilt when it moves).
    private(set) var generation = 0
    private var pending: [ObjectIdentifier: Run] = [:]
    private var stops: [ObjectIdentifier: AsyncStream<Never>.Continuation] = [:]
    private var started: AsyncStream<Run>.Continuation?

    /// Adds a store's cache: started now when the registry runs, else with `start`; a resource
    /// that is never read has none to start.
    mutating func add(_ store: ResourceStore) {
        generation += 1
        guard store.info.isCached else { return }
        let (stopped, stop) = AsyncStream<Never>.makeStream()
        stops[ObjectIdentifier(store)] = stop
        let run = Run(store: store, stopped: stopped)
        if let started { started.yield(run) } else { pending[ObjectIdentifier(store)] = run }
    }

    /// Stops a store's cache (or forgets it, when it never started).
    mutating func stop(_ store: ResourceStore) {
        generation += 1
        pending[ObjectIdentifier(store)] = nil
        stops.removeValue(forKey: ObjectIdentifier(store))?.finish()
    }

    /// The registry starts running: later adds go to `continuation`; returns the caches to start now.
    mutating func start(_ continuation: AsyncStream<Run>.Continuation) -> [Run] {
        started = continuation
        defer { pending.removeAll() }
        return Array(pending.values)
    }
}
