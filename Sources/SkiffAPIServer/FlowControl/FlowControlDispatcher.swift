import CoreMetrics
import SkiffAPI
import SkiffRegistry
import Synchronization

/// Seats and queues of every limited priority level, under the configuration the registry's
/// watch caches hold (read again only when a flow schema or priority level has changed, which a
/// request learns from the caches' event history without a snapshot): a request of a limited
/// level takes a seat, waits in a queue for at most the request wait limit, or is rejected.
final class FlowControlDispatcher: Sendable {
    /// How a request fared.
    enum Admission: Sendable, Hashable {
        /// It holds a seat of its level until `release`.
        case dispatched
        /// Refused, with upstream's reason label: `queue-full`, `concurrency-limit`, `time-out`
        /// or `cancelled`.
        case rejected(reason: String)
    }

    /// How the dispatcher is set up.
    struct Configuration: Sendable {
        /// Requests the server serves at once, shared out among the levels
        /// (`--max-requests-inflight` plus `--max-mutating-requests-inflight`).
        var serverConcurrencyLimit: Int
        /// The longest a request waits in a queue (upstream: a quarter of the request timeout).
        var requestWaitLimit: Duration
        var clock: any TimestampClock
        /// Where each level's limits are recorded (`apiserver_flowcontrol_nominal_limit_seats`,
        /// `apiserver_flowcontrol_current_limit_seats`).
        var metricsFactory: any MetricsFactory
    }

    private struct State {
        /// The revision of each cache the configuration reflects; nil before the first snapshot.
        var revisions: [Int64]? = nil
        var configuration = FlowControlConfiguration(flowSchemas: [], priorityLevels: [])
        var queueSets: [String: FairQueueSet<Int>] = [:]
        var waiters: [Int: CheckedContinuation<Admission, Never>] = [:]
        /// Outcomes settled before their waiter got to wait.
        var settled: [Int: Admission] = [:]
        /// When each waiting ticket gives up, and its level.
        var deadlines: [Int: (level: String, at: Timestamp)] = [:]
        /// Whether the task that times waiting tickets out runs (only while some wait).
        var sweeping = false
        var nextTicket = 0
        var dropped = DroppedRequestsTracker()
    }

    let configuration: Configuration
    /// The flow schema and priority level caches; empty when the kinds are not registered.
    private let stores: [ResourceStore]
    private let state = Mutex(State())

    init(registry: Registry, configuration: Configuration) {
        self.configuration = configuration
        let stores = ["flowschemas", "prioritylevelconfigurations"].compactMap {
            registry.store(for: GroupResource(group: FlowControlBootstrap.group, resource: $0))
        }
        self.stores = stores.count == 2 ? stores : []
    }

    /// The configuration in force, with every level's queues brought up to it.
    func currentConfiguration() -> FlowControlConfiguration {
        let (configuration, admitted) = state.withLock { state -> (FlowControlConfiguration, [CheckedContinuation<Admission, Never>]) in
            if let revisions = state.revisions, let current = unchanged(since: revisions) {
                state.revisions = current
                return (state.configuration, [])
            }
            let snapshots = stores.map { $0.cache.snapshot(filter: WatchFilter()) }
            let configuration = FlowControlConfiguration(flowSchemas: snapshots.first?.objects.map(\.decoded) ?? [],
                                                         priorityLevels: snapshots.last?.objects.map(\.decoded) ?? [])
            state.revisions = snapshots.map(\.revision)
            state.configuration = configuration
            var admitted: [CheckedContinuation<Admission, Never>] = []
            for (name, limits) in configuration.limits(serverLimit: self.configuration.serverConcurrencyLimit) {
                self.record(limits, of: name)
                guard let level = configuration.priorityLevels[name], !level.isExempt else { continue }
                let queueConfiguration = FairQueueSet<Int>.Configuration(concurrencyLimit: limits.current, queuing: level.queuing)
                if state.queueSets[name] == nil {
                    state.queueSets[name] = FairQueueSet(queueConfiguration)
                } else {
                    let tickets = state.queueSets[name]?.reconfigure(queueConfiguration) ?? []
                    admitted += Self.settle(tickets, in: &state)
                }
            }
            return (configuration, admitted)
        }
        admitted.forEach { $0.resume(returning: .dispatched) }
        return configuration
    }

    /// The caches' revisions when neither has an event after `revisions`; nil when one has, or
    /// cannot tell (it relisted since).
    private func unchanged(since revisions: [Int64]) -> [Int64]? {
        var current: [Int64] = []
        for (store, revision) in zip(stores, revisions) {
            guard let changes = store.cache.changes(after: revision), changes.events.isEmpty else { return nil }
            current.append(changes.revision)
        }
        return current
    }

    private func record(_ limits: PriorityLevelPolicy.Limits, of level: String) {
        let factory = configuration.metricsFactory
        Gauge(label: "apiserver_flowcontrol_nominal_limit_seats", dimensions: [("priority_level", level)], factory: factory).record(limits.nominal)
        Gauge(label: "apiserver_flowcontrol_current_limit_seats", dimensions: [("priority_level", level)], factory: factory).record(limits.current)
    }

    /// Waits for a seat of `level` (limited) for the flow with `flowHash`; the returned
    /// `queued` closure is called when the request joins a queue, so metrics can count it.
    func admit(level: PriorityLevelPolicy, flowHash: UInt64, queued: (Bool) -> Void) async -> Admission {
        let arrival = state.withLock { state -> (ticket: Int, FairQueueSet<Int>.Arrival) in
            state.nextTicket += 1
            let ticket = state.nextTicket
            if state.queueSets[level.name] == nil {
                state.queueSets[level.name] = FairQueueSet(.init(concurrencyLimit: 1, queuing: level.queuing))
            }
            return (ticket, state.queueSets[level.name]!.arrive(ticket, flowHash: flowHash))
        }
        switch arrival.1 {
        case .dispatched: return .dispatched
        case .rejected(let rejection): return .rejected(reason: rejection.rawValue)
        case .queued:
            queued(true)
            defer { queued(false) }
            return await wait(arrival.ticket, level: level.name)
        }
    }

    /// Notes that `level` rejected a request; returns the `Retry-After` seconds to answer with.
    func retryAfterRejection(by level: String) -> Int64 {
        let second = configuration.clock.now.seconds
        return state.withLock { $0.dropped.recordRejection(by: level, at: second) }
    }

    /// Gives back the seat a dispatched request of `level` held.
    func release(level: String) {
        let admitted = state.withLock { state in
            let tickets = state.queueSets[level]?.finish() ?? []
            return Self.settle(tickets, in: &state)
        }
        admitted.forEach { $0.resume(returning: .dispatched) }
    }

    /// Waits for the seat of a queued ticket of `level`, for at most the request wait limit
    /// (`time-out`) or until the request's task is cancelled (`cancelled`). A waiting request
    /// costs a continuation and a deadline; one task, started when the first one waits, times
    /// out the tickets whose deadlines pass and ends when none waits.
    private func wait(_ ticket: Int, level: String) async -> Admission {
        let deadline = configuration.clock.now.advanced(by: configuration.requestWaitLimit)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let (settled, startsSweeper) = state.withLock { state -> (Admission?, Bool) in
                    if let admission = state.settled.removeValue(forKey: ticket) { return (admission, false) }
                    state.waiters[ticket] = continuation
                    state.deadlines[ticket] = (level, deadline)
                    defer { state.sweeping = true }
                    return (nil, !state.sweeping)
                }
                if let settled { continuation.resume(returning: settled) }
                if startsSweeper { Task { await self.timeOutWaiters() } }
            }
        } onCancel: {
            giveUp(ticket, level: level, reason: "cancelled")
        }
    }

    /// Sleeps until the earliest deadline of a waiting ticket and gives up the tickets whose
    /// deadlines have passed, as long as some ticket waits.
    private func timeOutWaiters() async {
        let clock = configuration.clock
        while let earliest = state.withLock({ state -> Timestamp? in
            let earliest = state.deadlines.values.map(\.at).min()
            if earliest == nil { state.sweeping = false }
            return earliest
        }) {
            try? await clock.sleep(until: earliest, tolerance: nil)
            let now = clock.now
            let expired = state.withLock { state in state.deadlines.filter { $0.value.at <= now } }
            for (ticket, waiting) in expired { giveUp(ticket, level: waiting.level, reason: "time-out") }
        }
    }

    /// Takes a request that is still waiting out of its queue.
    private func giveUp(_ ticket: Int, level: String, reason: String) {
        let admission = Admission.rejected(reason: reason)
        let waiter = state.withLock { state -> CheckedContinuation<Admission, Never>? in
            state.deadlines[ticket] = nil
            guard state.queueSets[level]?.remove(ticket) == true else { return nil }
            if let waiter = state.waiters.removeValue(forKey: ticket) { return waiter }
            state.settled[ticket] = admission
            return nil
        }
        waiter?.resume(returning: admission)
    }

    /// The waiters of tickets that got seats; tickets whose waiter is not there yet are settled.
    private static func settle(_ tickets: [Int], in state: inout State) -> [CheckedContinuation<Admission, Never>] {
        tickets.compactMap { ticket in
            state.deadlines[ticket] = nil
            if let waiter = state.waiters.removeValue(forKey: ticket) { return waiter }
            state.settled[ticket] = .dispatched
            return nil
        }
    }
}
