import HeapModule
import SkiffAPI
import Synchronization

/// The scheduling queue (upstream's `PriorityQueue`): an active queue ordered by priority, then by
/// the time the pod entered the queue; a back-off queue of pods waiting out 1 s doubling up to
/// 10 s per failed attempt; and the unschedulable pods, which wait for a cluster event that may
/// make them schedulable (`moveAll`), or at most five minutes.
///
/// One consumer pops pods (the scheduling loop); informer handlers add, update and delete.
/// Popped pods are in flight until the loop reports them `done` (assumed) or `unschedulable`.
final class SchedulingQueue: Sendable {
    typealias Entry = QueuedPodInfo
    /// A waiting `pop` and the pod it gets, resumed once the lock is released.
    private typealias HandOff = (continuation: CheckedContinuation<Entry?, Never>, entry: Entry)

    struct Configuration: Sendable {
        var initialBackoff: Duration = .seconds(1)
        var maximumBackoff: Duration = .seconds(10)
        /// How long a pod stays unschedulable without an event before it is retried.
        var maximumUnschedulableDuration: Duration = .seconds(300)
        /// How often `run()` flushes the back-off queue (upstream: every second).
        var backoffFlushInterval: Duration = .seconds(1)
        /// How often `run()` looks for unschedulable pods to retry (upstream: every 30 s).
        var unschedulableFlushInterval: Duration = .seconds(30)

        init() {}
    }

    /// Where a queued pod is.
    enum Location: Sendable, Hashable {
        case active, backoff, unschedulable, inFlight
    }

    private struct ActiveKey: Comparable {
        var priority: Int64
        var timestamp: Timestamp
        var sequence: UInt64
        var key: String

        static func < (lhs: ActiveKey, rhs: ActiveKey) -> Bool {
            if lhs.priority != rhs.priority { return lhs.priority > rhs.priority }
            if lhs.timestamp != rhs.timestamp { return lhs.timestamp < rhs.timestamp }
            return lhs.sequence < rhs.sequence
        }
    }

    private struct BackoffKey: Comparable {
        var expiry: Timestamp
        var sequence: UInt64
        var key: String

        static func < (lhs: BackoffKey, rhs: BackoffKey) -> Bool {
            lhs.expiry != rhs.expiry ? lhs.expiry < rhs.expiry : lhs.sequence < rhs.sequence
        }
    }

    private struct Slot {
        var entry: Entry
        var location: Location
        /// The heap element that is current for this pod (older ones are skipped when popped).
        var sequence: UInt64 = 0
    }

    /// The queued pods by key, with how many are at each location, counted as slots change (the
    /// pending-pods gauge is read after every cycle; counting 30,000 slots each time was a tenth
    /// of the scheduler's CPU).
    private struct Slots {
        private var byKey: [String: Slot] = [:]
        private(set) var counts: [Location: Int] = [.active: 0, .backoff: 0, .unschedulable: 0, .inFlight: 0]

        subscript(key: String) -> Slot? {
            get { byKey[key] }
            set {
                if let old = byKey[key] { counts[old.location, default: 0] -= 1 }
                if let newValue { counts[newValue.location, default: 0] += 1 }
                byKey[key] = newValue
            }
        }
    }

    private struct State {
        var active = Heap<ActiveKey>()
        var backoff = Heap<BackoffKey>()
        var slots = Slots()
        /// The keys of the slots whose location is `unschedulable`.
        var unschedulable: Set<String> = []
        var sequence: UInt64 = 0
        var schedulingCycle: Int64 = 0
        var moveRequestCycle: Int64 = -1
        var waiter: CheckedContinuation<Entry?, Never>?
        var closed = false
    }

    private let state = Mutex(State())
    private let clock: any TimestampClock
    let configuration: Configuration

    init(clock: any TimestampClock, configuration: Configuration = Configuration()) {
        self.clock = clock
        self.configuration = configuration
    }

    // MARK: Informer side

    /// Adds a new pending pod to the active queue (or updates it if already queued).
    func add(_ pod: PodInfo) {
        let waiter = state.withLock { state -> HandOff? in
            if state.slots[pod.key] != nil {
                update(pod, in: &state)
            } else {
                state.slots[pod.key] = Slot(entry: Entry(pod: pod, timestamp: clock.now), location: .inFlight)
                pushActive(pod.key, in: &state)
            }
            return handOff(&state)
        }
        resume(waiter)
    }

    /// A queued pod changed: the new version replaces the old; an unschedulable pod whose
    /// specification changed is retried (after its back-off).
    func update(_ pod: PodInfo) {
        let waiter = state.withLock { state -> HandOff? in
            update(pod, in: &state)
            return handOff(&state)
        }
        resume(waiter)
    }

    /// The pod left (deleted, bound elsewhere, or no longer pending).
    func delete(key: String) {
        state.withLock { state in
            state.slots[key] = nil
            state.unschedulable.remove(key)
        }
    }

    /// A cluster event that may make unschedulable pods schedulable (a node added or changed, an
    /// assigned pod deleted): every unschedulable pod `shouldMove` accepts goes to the back-off
    /// queue, or straight to the active queue when its back-off is over. With `affectsInFlight`,
    /// pods being scheduled now that fail will back off rather than wait as unschedulable.
    func moveAll(affectsInFlight: Bool = true, where shouldMove: (PodInfo) -> Bool = { _ in true }) {
        let waiter = state.withLock { state -> HandOff? in
            let now = clock.now
            for key in state.unschedulable {
                if let slot = state.slots[key], shouldMove(slot.entry.pod) { requeue(key, now: now, in: &state) }
            }
            if affectsInFlight { state.moveRequestCycle = state.schedulingCycle }
            return handOff(&state)
        }
        resume(waiter)
    }

    // MARK: Scheduling loop side

    /// The next pod to schedule, waiting for one; nil once closed or cancelled.
    func pop() async -> Entry? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Entry?, Never>) in
                let ready = state.withLock { state -> Entry?? in
                    if let entry = popActive(&state) { return .some(entry) }
                    if state.closed || Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            close()
        }
    }

    /// Ends `pop`: waiting and later calls return nil.
    func close() {
        let waiter = state.withLock { state -> CheckedContinuation<Entry?, Never>? in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// A popped pod was assumed: it leaves the queue.
    func done(key: String) {
        state.withLock { state in
            if state.slots[key]?.location == .inFlight { state.slots[key] = nil }
        }
    }

    /// A popped pod did not fit. It waits as unschedulable, unless a cluster event came while it
    /// was being scheduled (then it only backs off, as that event may have made room). With
    /// `backoffOnly` (an error rather than a misfit) it always just backs off.
    func unschedulable(_ entry: Entry, schedulingCycle: Int64, backoffOnly: Bool = false) {
        let waiter = state.withLock { state -> HandOff? in
            guard let slot = state.slots[entry.pod.key], slot.location == .inFlight else { return nil }
            let now = clock.now
            state.slots[entry.pod.key]?.entry.timestamp = now
            state.slots[entry.pod.key]?.entry.attempts = entry.attempts
            if backoffOnly || state.moveRequestCycle >= schedulingCycle {
                pushBackoff(entry.pod.key, now: now, in: &state)
            } else {
                state.slots[entry.pod.key]?.location = .unschedulable
                state.unschedulable.insert(entry.pod.key)
            }
            return handOff(&state)
        }
        resume(waiter)
    }

    /// A pod whose binding failed after it left the queue comes back, backing off.
    func retryAfterBindingFailure(_ entry: Entry) {
        let waiter = state.withLock { state -> HandOff? in
            guard state.slots[entry.pod.key] == nil else { return nil }
            var retried = entry
            retried.timestamp = clock.now
            state.slots[entry.pod.key] = Slot(entry: retried, location: .inFlight)
            pushBackoff(entry.pod.key, now: retried.timestamp, in: &state)
            return handOff(&state)
        }
        resume(waiter)
    }

    /// The cycle number of the last pop (a failed pod reports it back with `unschedulable`).
    var schedulingCycle: Int64 { state.withLock { $0.schedulingCycle } }

    /// How many pods wait where (for `scheduler_pending_pods`); pods being scheduled are not pending.
    var pendingCounts: [Location: Int] {
        state.withLock { state in state.slots.counts.filter { $0.key != .inFlight } }
    }

    /// Where `key` is, if queued.
    func location(of key: String) -> Location? { state.withLock { $0.slots[key]?.location } }

    /// Moves pods whose back-off is over to the active queue.
    func flushBackoffCompleted() {
        let waiter = state.withLock { state -> HandOff? in
            let now = clock.now
            while let first = state.backoff.min, first.expiry <= now {
                _ = state.backoff.popMin()
                guard let slot = state.slots[first.key], slot.location == .backoff, slot.sequence == first.sequence else { continue }
                pushActive(first.key, in: &state)
            }
            return handOff(&state)
        }
        resume(waiter)
    }

    /// Retries pods unschedulable for longer than the maximum.
    func flushUnschedulableLeftover() {
        let waiter = state.withLock { state -> HandOff? in
            let now = clock.now
            for key in state.unschedulable {
                if let slot = state.slots[key], slot.entry.timestamp.duration(to: now) > configuration.maximumUnschedulableDuration {
                    requeue(key, now: now, in: &state)
                }
            }
            return handOff(&state)
        }
        resume(waiter)
    }

    /// Flushes the back-off queue every second and long-unschedulable pods every 30 s, until cancelled.
    func run() async {
        var sinceUnschedulableFlush = Duration.zero
        while (try? await clock.sleep(for: configuration.backoffFlushInterval)) != nil {
            flushBackoffCompleted()
            sinceUnschedulableFlush += configuration.backoffFlushInterval
            if sinceUnschedulableFlush >= configuration.unschedulableFlushInterval {
                sinceUnschedulableFlush = .zero
                flushUnschedulableLeftover()
            }
        }
    }

    /// The back-off after `attempts` failed attempts: 1 s, doubling, at most 10 s.
    func backoffDuration(attempts: Int) -> Duration {
        var duration = configuration.initialBackoff
        for _ in 1..<max(attempts, 1) {
            if duration > configuration.maximumBackoff - duration { return configuration.maximumBackoff }
            duration += duration
        }
        return min(duration, configuration.maximumBackoff)
    }

    // MARK: Internals (called under the lock)

    private func update(_ pod: PodInfo, in state: inout State) {
        guard var slot = state.slots[pod.key] else { return }
        let previous = slot.entry.pod
        slot.entry.pod = pod
        state.slots[pod.key] = slot
        switch slot.location {
        case .active where previous.priority != pod.priority:
            pushActive(pod.key, in: &state)
        case .unschedulable where previous.specification != pod.specification:
            requeue(pod.key, now: clock.now, in: &state)
        default:
            break
        }
    }

    private func requeue(_ key: String, now: Timestamp, in state: inout State) {
        guard let slot = state.slots[key] else { return }
        let expiry = slot.entry.timestamp.advanced(by: backoffDuration(attempts: slot.entry.attempts))
        if expiry > now {
            pushBackoff(key, now: slot.entry.timestamp, in: &state)
        } else {
            pushActive(key, in: &state)
        }
    }

    private func pushActive(_ key: String, in state: inout State) {
        guard let slot = state.slots[key] else { return }
        state.unschedulable.remove(key)
        state.sequence += 1
        state.slots[key]?.location = .active
        state.slots[key]?.sequence = state.sequence
        state.active.insert(ActiveKey(priority: slot.entry.pod.priority, timestamp: slot.entry.timestamp, sequence: state.sequence, key: key))
    }

    /// Backs `key` off from `since` (the time of its last failure).
    private func pushBackoff(_ key: String, now since: Timestamp, in state: inout State) {
        guard let slot = state.slots[key] else { return }
        state.unschedulable.remove(key)
        state.sequence += 1
        state.slots[key]?.location = .backoff
        state.slots[key]?.sequence = state.sequence
        let expiry = since.advanced(by: backoffDuration(attempts: slot.entry.attempts))
        state.backoff.insert(BackoffKey(expiry: expiry, sequence: state.sequence, key: key))
    }

    private func popActive(_ state: inout State) -> Entry? {
        while let first = state.active.popMin() {
            guard var slot = state.slots[first.key], slot.location == .active, slot.sequence == first.sequence else { continue }
            slot.location = .inFlight
            slot.entry.attempts += 1
            state.slots[first.key] = slot
            state.schedulingCycle += 1
            return slot.entry
        }
        return nil
    }

    private func resume(_ handOff: HandOff?) {
        handOff?.continuation.resume(returning: handOff?.entry)
    }

    /// Gives the waiting consumer the next active pod, if both exist (resumed outside the lock).
    private func handOff(_ state: inout State) -> HandOff? {
        guard let waiter = state.waiter, let entry = popActive(&state) else { return nil }
        state.waiter = nil
        return (waiter, entry)
    }
}
