/// The queues and seats of one limited priority level (upstream's `queueSet`), as a state
/// machine the dispatcher drives under its lock: a request takes a seat when one is free and
/// nobody waits; otherwise it joins the shortest queue of its flow's shuffle-sharded hand, or is
/// rejected when that queue is full (or, for a level that rejects instead of queuing, at once).
/// Freed seats go to the queues' heads in turn, round robin: each queue gets an equal share,
/// where upstream's fair queuing weighs requests by their estimated work and virtual finish time.
struct FairQueueSet<Ticket: Hashable & Sendable>: Sendable {
    /// What the level allows.
    struct Configuration: Sendable, Hashable {
        var concurrencyLimit: Int
        /// nil: no queues, a request over the limit is rejected.
        var queuing: PriorityLevelPolicy.Queuing?
    }

    enum Rejection: String, Sendable, Hashable {
        /// The chosen queue holds `queueLengthLimit` requests (upstream's reason `queue-full`).
        case queueFull = "queue-full"
        /// No seat is free and the level does not queue (`concurrency-limit`).
        case concurrencyLimit = "concurrency-limit"
    }

    enum Arrival: Sendable, Hashable {
        case dispatched
        /// Waiting in queue `index`.
        case queued(index: Int)
        case rejected(Rejection)
    }

    private(set) var configuration: Configuration
    /// Seats in use.
    private(set) var executing = 0
    private var queues: [[Ticket]]
    private var dealer: ShuffleShardDealer
    /// The queue the next freed seat is offered to first.
    private var nextQueue = 0

    init(_ configuration: Configuration) {
        self.configuration = configuration
        let count = configuration.queuing?.queues ?? 1
        queues = Array(repeating: [], count: max(1, count))
        dealer = ShuffleShardDealer(deckSize: count, handSize: configuration.queuing?.handSize ?? 1)
    }

    /// Requests waiting in the queues.
    var waiting: Int { queues.reduce(0) { $0 + $1.count } }

    /// A seat is free; a level whose limit is zero still runs one request at a time, as upstream's.
    private var hasFreeSeat: Bool { executing == 0 || executing < configuration.concurrencyLimit }

    /// A request of the flow with `flowHash` arrives.
    mutating func arrive(_ ticket: Ticket, flowHash: UInt64) -> Arrival {
        if waiting == 0 && hasFreeSeat {
            executing += 1
            return .dispatched
        }
        guard let queuing = configuration.queuing else { return .rejected(.concurrencyLimit) }
        let hand = dealer.deal(flowHash)
        let index = hand.min { queues[$0].count < queues[$1].count } ?? 0
        guard queues[index].count < queuing.queueLengthLimit else { return .rejected(.queueFull) }
        queues[index].append(ticket)
        return .queued(index: index)
    }

    /// A request that had a seat is done; returns the waiting requests that now take seats.
    mutating func finish() -> [Ticket] {
        executing = max(0, executing - 1)
        return dispatchWhileSeatsAreFree()
    }

    /// Takes a waiting request out of its queue (its wait timed out or its client left); false
    /// when it is not waiting (it got a seat meanwhile).
    mutating func remove(_ ticket: Ticket) -> Bool {
        for index in queues.indices {
            if let position = queues[index].firstIndex(of: ticket) {
                queues[index].remove(at: position)
                return true
            }
        }
        return false
    }

    /// Applies a new configuration: the waiting requests are dealt again over the new queues in
    /// their order; returns the ones a higher limit lets in.
    mutating func reconfigure(_ configuration: Configuration) -> [Ticket] {
        guard configuration != self.configuration else { return [] }
        let count = max(1, configuration.queuing?.queues ?? 1)
        if count != queues.count {
            let waiting = queues.flatMap { $0 }
            queues = Array(repeating: [], count: count)
            for (position, ticket) in waiting.enumerated() { queues[position % count].append(ticket) }
            nextQueue = 0
        }
        dealer = ShuffleShardDealer(deckSize: count, handSize: configuration.queuing?.handSize ?? 1)
        self.configuration = configuration
        return dispatchWhileSeatsAreFree()
    }

    private mutating func dispatchWhileSeatsAreFree() -> [Ticket] {
        var dispatched: [Ticket] = []
        while hasFreeSeat, waiting > 0 {
            while queues[nextQueue].isEmpty { nextQueue = (nextQueue + 1) % queues.count }
            dispatched.append(queues[nextQueue].removeFirst())
            executing += 1
            nextQueue = (nextQueue + 1) % queues.count
        }
        return dispatched
    }
}
