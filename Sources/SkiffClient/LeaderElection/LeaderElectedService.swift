import Logging
import ServiceLifecycle
import SkiffAPI
import Synchronization

/// Runs a service only while holding a Lease (the `--leader-elect` of upstream's controller
/// manager and scheduler): contends for the lease, runs `wrapped` once it leads, and stops it when
/// leadership is lost, then throws `LeadershipLost` (upstream's components exit then).
///
/// Graceful shutdown before leading stops contending; while leading, it reaches `wrapped` (which
/// drains), then the lease is released so another contender takes over at once. Cancellation
/// cancels `wrapped` and releases the lease too.
public struct LeaderElectedService<Wrapped: Service, C: TimestampClock>: Service {
    /// Leadership was lost while the wrapped service ran.
    public struct LeadershipLost: Error, CustomStringConvertible {
        /// The lease, `namespace/name`.
        public var lease: String
        public var description: String { "leaderelection lost (lease \(lease))" }
    }

    let wrapped: Wrapped
    let election: LeaderElector<C>.Configuration
    let client: DynamicClient
    let clock: C
    let logger: Logger

    /// `wrapped`, run while holding the lease `election` names; the lease is always released when
    /// leading ends (`releaseOnCancel` is set).
    public init(_ wrapped: Wrapped, election: LeaderElector<C>.Configuration, client: DynamicClient, clock: C, logger: Logger) {
        self.wrapped = wrapped
        var election = election
        election.releaseOnCancel = true
        self.election = election
        self.client = client
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        let state = LeadershipState()
        let (ended, endedInput) = AsyncStream<Void>.makeStream()
        let wrapped = self.wrapped
        let elector = LeaderElector(
            configuration: election,
            callbacks: .init(onStartedLeading: {
                state.startLeading()
                let result: Result<Void, any Error>
                do {
                    try await wrapped.run()
                    result = .success(())
                } catch {
                    result = .failure(error)
                }
                state.finish(result)
                // Ended by itself (drained after graceful shutdown, or failed): end the election.
                // Cancelled: the election ended it (leadership lost) or is being cancelled.
                if !Task.isCancelled { endedInput.finish() }
            }),
            client: client, clock: clock, logger: logger)
        let lost = await withDiscardingTaskGroup { group in
            group.addTask {
                await elector.run()
                state.endElection()
                endedInput.finish()
            }
            await withGracefulShutdownHandler {
                for await _ in ended {}
            } onGracefulShutdown: {
                // Before leading there is nothing to drain: stop contending.
                if !state.isLeading { endedInput.finish() }
            }
            // The election ending by itself (not cancelled by us) means the lease was lost.
            let lost = state.isElectionEnded && !Task.isCancelled
            group.cancelAll()
            return lost
        }
        if lost { throw LeadershipLost(lease: "\(election.namespace)/\(election.name)") }
        try state.result?.get()
    }
}

/// Where a `LeaderElectedService` stands: whether it has led, how the wrapped service ended,
/// whether the election ended by itself.
private final class LeadershipState: Sendable {
    private struct State {
        var leading = false
        var result: Result<Void, any Error>?
        var electionEnded = false
    }

    private let state = Mutex(State())

    var isLeading: Bool { state.withLock { $0.leading } }
    var result: Result<Void, any Error>? { state.withLock { $0.result } }
    var isElectionEnded: Bool { state.withLock { $0.electionEnded } }

    func startLeading() { state.withLock { $0.leading = true } }
    func finish(_ result: Result<Void, any Error>) { state.withLock { $0.result = result } }
    func endElection() { state.withLock { $0.electionEnded = true } }
}
