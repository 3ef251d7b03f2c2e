import DequeModule
import Synchronization

/// A queue of keys for controllers, with client-go's guarantees:
/// - an item added many times while it waits is handed out once (deduplication);
/// - an item being processed is never handed to a second worker; if it is added meanwhile it is
///   queued again once its worker calls `done`;
/// - after `shutDown`, adds are ignored and `get` returns what is left, then nil.
public final class WorkQueue<Item: Hashable & Sendable>: Sendable {
    private struct State {
        var queue = Deque<Item>()
        var dirty = Set<Item>()
        var processing = Set<Item>()
        var waiters: [Int: CheckedContinuation<Item?, Never>] = [:]
        var waiterOrder = Deque<Int>()
        var nextWaiter = 0
        var shuttingDown = false
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    let metrics: WorkQueueMetrics<Item>

    /// `name` labels the queue's metrics (`workqueue_depth{name=…}` and friends).
    public init(name: String = "") {
        metrics = WorkQueueMetrics(name: name)
    }

    /// Marks `item` as needing processing.
    public func add(_ item: Item) {
        let handOff = state.withLock { state -> CheckedContinuation<Item?, Never>? in
            guard !state.shuttingDown, !state.dirty.contains(item) else { return nil }
            metrics.added()
            state.dirty.insert(item)
            guard !state.processing.contains(item) else { return nil }
            return Self.enqueue(item, in: &state, metrics: metrics)
        }
        handOff?.resume(returning: item)
    }

    /// The next item to process, waiting for one; nil once the queue is shut down and empty (or the
    /// calling task is cancelled). Call `done` when finished with it.
    public func get() async -> Item? {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Item?? in
                    if let item = state.queue.popFirst() {
                        Self.startProcessing(item, in: &state, metrics: metrics)
                        return .some(item)
                    }
                    if state.shuttingDown || Task.isCancelled { return .some(nil) }
                    state.waiters[id] = continuation
                    state.waiterOrder.append(id)
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }

    /// Marks the processing of `item` finished; if it was added meanwhile it is queued again.
    public func done(_ item: Item) {
        let (handOff, drained) = state.withLock { state -> (CheckedContinuation<Item?, Never>?, [CheckedContinuation<Void, Never>]) in
            guard state.processing.remove(item) != nil else { return (nil, []) }
            metrics.finished(item)
            var handOff: CheckedContinuation<Item?, Never>?
            if state.dirty.contains(item) { handOff = Self.enqueue(item, in: &state, metrics: metrics) }
            var drained: [CheckedContinuation<Void, Never>] = []
            if state.shuttingDown, state.processing.isEmpty {
                drained = state.drainWaiters
                state.drainWaiters.removeAll()
            }
            return (handOff, drained)
        }
        handOff?.resume(returning: item)
        drained.forEach { $0.resume() }
    }

    /// Stops accepting items; waiting `get` calls return nil once the queue is empty.
    public func shutDown() {
        let waiters = state.withLock { state -> [CheckedContinuation<Item?, Never>] in
            state.shuttingDown = true
            guard state.queue.isEmpty else { return [] }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume(returning: nil) }
    }

    /// Shuts down and waits until every item handed out has been marked done.
    public func shutDownWithDrain() async {
        shutDown()
        await withCheckedContinuation { continuation in
            let finished = state.withLock { state -> Bool in
                if state.processing.isEmpty { return true }
                state.drainWaiters.append(continuation)
                return false
            }
            if finished { continuation.resume() }
        }
    }

    /// Items waiting to be processed.
    public var count: Int { state.withLock { $0.queue.count } }

    public var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    /// Queues `item` or hands it to the longest-waiting `get`, which then processes it.
    private static func enqueue(_ item: Item, in state: inout State, metrics: WorkQueueMetrics<Item>) -> CheckedContinuation<Item?, Never>? {
        while let id = state.waiterOrder.popFirst() {
            guard let waiter = state.waiters.removeValue(forKey: id) else { continue }
            metrics.enqueued(item)
            startProcessing(item, in: &state, metrics: metrics)
            return waiter
        }
        metrics.enqueued(item)
        state.queue.append(item)
        return nil
    }

    private static func startProcessing(_ item: Item, in state: inout State, metrics: WorkQueueMetrics<Item>) {
        state.dirty.remove(item)
        state.processing.insert(item)
        metrics.started(item)
    }
}
