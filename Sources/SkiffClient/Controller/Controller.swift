import Logging
import ServiceLifecycle
import SkiffAPI

/// Runs a reconciler over the keys of an informer's objects (controller-runtime's controller):
/// every add, update and delete queues the object's key; `workers` tasks take keys from the
/// queue (a key is never reconciled by two workers at once) and the result decides what
/// happens next: an error retries with back-off, `requeueAfter` forgets the failures and
/// comes back later, success forgets the key.
///
/// A `Service`: graceful shutdown drains the queue (new keys are ignored, the queued ones and
/// those in progress are reconciled, then the workers stop); cancellation stops at once.
public struct Controller<Object: Sendable>: Service {
    public struct Configuration: Sendable {
        /// Names the queue's metrics and the logs.
        public var name: String
        /// Keys reconciled at the same time.
        public var workers = 1

        public init(name: String, workers: Int = 1) {
            self.name = name
            self.workers = workers
        }
    }

    let configuration: Configuration
    let informer: SharedInformer<Object>
    let key: @Sendable (Object) -> String
    let reconciler: any Reconciler
    /// The controller's queue; other sources (owned objects) may add keys to it.
    public let queue: DelayingWorkQueue<String>
    let logger: Logger

    /// A controller of `informer`'s objects, keyed by `key` (`namespace/name`).
    public init(
        configuration: Configuration, informer: SharedInformer<Object>, key: @escaping @Sendable (Object) -> String,
        reconciler: any Reconciler, rateLimiter: (any RateLimiter<String>)? = nil,
        clock: any TimestampClock = SystemClock(), logger: Logger
    ) {
        self.configuration = configuration
        self.informer = informer
        self.key = key
        self.reconciler = reconciler
        queue = DelayingWorkQueue(
            name: configuration.name, rateLimiter: rateLimiter ?? MaxOfRateLimiter.defaultController(clock: clock), clock: clock)
        var logger = logger
        logger[metadataKey: "controller"] = "\(configuration.name)"
        self.logger = logger
    }

    /// Queues the keys `map` gives for changes of another informer's objects (e.g. the owner of
    /// a changed dependent). Call before `run()`.
    @discardableResult
    public func watch<Other: Sendable>(_ other: SharedInformer<Other>, map: @escaping @Sendable (Other) -> [String]) -> SharedInformer<Other>.Registration {
        let queue = self.queue
        return other.addHandler { event in
            switch event {
            case .added(let object, _): map(object).forEach(queue.add)
            case .updated(let old, let new): (map(old) + map(new)).forEach(queue.add)
            case .deleted(let deleted): map(deleted.object).forEach(queue.add)
            }
        }
    }

    /// Waits for the informer's cache, then reconciles until graceful shutdown (after draining
    /// the queue) or cancellation. The informer itself runs elsewhere (it is shared): in a
    /// `SharedInformerFactory`, for instance.
    public func run() async {
        let queue = self.queue
        let key = self.key
        let registration = informer.addHandler { event in
            switch event {
            case .added(let object, _): queue.add(key(object))
            case .updated(_, let new): queue.add(key(new))
            case .deleted(let deleted): queue.add(key(deleted.object))
            }
        }
        defer { informer.removeHandler(registration) }
        // Graceful shutdown while the cache syncs shuts the queue: the workers then only drain it.
        await withTaskCancellationOrGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await queue.run() }
                guard await informer.waitForCacheSync() else { return }
                logger.info("starting workers", metadata: ["workers": "\(configuration.workers)"])
                for _ in 0..<max(configuration.workers, 1) {
                    group.addTask { await work() }
                }
            }
        } onCancelOrGracefulShutdown: {
            queue.shutDown()
        }
    }

    private func work() async {
        while let key = await queue.get() {
            await process(key)
            queue.done(key)
        }
    }

    private func process(_ key: String) async {
        var logger = logger
        logger[metadataKey: "key"] = "\(key)"
        do {
            let result = try await reconciler.reconcile(key, logger: logger)
            if let delay = result.requeueAfter {
                queue.forget(key)
                queue.addAfter(key, delay: delay)
            } else if result.requeue {
                queue.addRateLimited(key)
            } else {
                queue.forget(key)
            }
        } catch let error as TerminalError {
            logger.error("reconcile failed for good", metadata: ["error": "\(error.underlying)"])
            queue.forget(key)
        } catch {
            logger.warning("reconcile failed, retrying", metadata: ["error": "\(error)", "retries": "\(queue.retries(key))"])
            queue.addRateLimited(key)
        }
    }
}
