import Logging
import SkiffAPI
import SkiffModels

/// Leader election on a `coordination.k8s.io/v1` Lease (client-go's `leaderelection`): contenders
/// try to take the lease every `retryPeriod`; the holder renews it and stays leader while a
/// renewal succeeds within `renewDeadline`; others take over once it has not been renewed for
/// `leaseDuration` (measured on the local clock from when they last saw it change, so clock skew
/// between machines does not matter).
public struct LeaderElector<C: TimestampClock>: Sendable {
    public struct Configuration: Sendable {
        /// The Lease's namespace and name.
        public var namespace: String
        public var name: String
        /// This contender's identity (unique among contenders, e.g. the pod name).
        public var identity: String
        /// How long a lease lasts without renewal before others may take it (client-go: 15 s).
        public var leaseDuration: Duration = .seconds(15)
        /// How long the leader keeps trying to renew before giving up leadership (10 s).
        public var renewDeadline: Duration = .seconds(10)
        /// How often to try acquiring or renewing (2 s).
        public var retryPeriod: Duration = .seconds(2)
        /// Release the lease when cancelled while leading, so another contender takes over at once.
        public var releaseOnCancel = false

        public init(namespace: String, name: String, identity: String) {
            self.namespace = namespace
            self.name = name
            self.identity = identity
        }
    }

    /// What to do as leadership changes.
    public struct Callbacks: Sendable {
        /// The work of the leader; cancelled when leadership is lost.
        public var onStartedLeading: @Sendable () async -> Void
        /// Called after leading ends (lost, or cancelled).
        public var onStoppedLeading: @Sendable () async -> Void
        /// Called when a new holder (possibly this one) is seen.
        public var onNewLeader: @Sendable (String) async -> Void

        public init(
            onStartedLeading: @escaping @Sendable () async -> Void, onStoppedLeading: @escaping @Sendable () async -> Void = {},
            onNewLeader: @escaping @Sendable (String) async -> Void = { _ in }
        ) {
            self.onStartedLeading = onStartedLeading
            self.onStoppedLeading = onStoppedLeading
            self.onNewLeader = onNewLeader
        }
    }

    let configuration: Configuration
    let callbacks: Callbacks
    let leases: ResourceClient<JSONValue>
    let clock: C
    let logger: Logger

    public init(configuration: Configuration, callbacks: Callbacks, client: DynamicClient, clock: C, logger: Logger) {
        self.configuration = configuration
        self.callbacks = callbacks
        leases = client.resource(CoordinationV1.Lease.groupVersionResource).namespace(configuration.namespace)
        self.clock = clock
        self.logger = logger
    }

    /// Waits to become leader, leads until leadership is lost or the task is cancelled, then
    /// returns (as client-go, it does not try again: restart it to contend again).
    public func run() async {
        var observation = Observation()
        guard await acquire(&observation) else { return }
        logger.info("became leader", metadata: ["lease": "\(configuration.namespace)/\(configuration.name)"])
        await withDiscardingTaskGroup { group in
            group.addTask { await callbacks.onStartedLeading() }
            await renew(&observation)
            group.cancelAll()
        }
        if Task.isCancelled, configuration.releaseOnCancel {
            await release(observation)
        }
        logger.info("stopped leading", metadata: ["lease": "\(configuration.namespace)/\(configuration.name)"])
        await callbacks.onStoppedLeading()
    }

    /// What this contender last saw of the lease, and when (on its own clock).
    struct Observation: Sendable {
        var record: LeaderElectionRecord?
        var observedAt: C.Instant?
    }

    /// Tries every retry period until the lease is ours; false when cancelled.
    private func acquire(_ observation: inout Observation) async -> Bool {
        while !Task.isCancelled {
            if await tryAcquireOrRenew(&observation) { return true }
            guard (try? await clock.sleep(for: configuration.retryPeriod)) != nil else { return false }
        }
        return false
    }

    /// Renews every retry period; returns when a renewal did not succeed within the renew
    /// deadline, or when cancelled.
    private func renew(_ observation: inout Observation) async {
        while !Task.isCancelled {
            guard (try? await clock.sleep(for: configuration.retryPeriod)) != nil else { return }
            let deadline = clock.now.advanced(by: configuration.renewDeadline)
            var renewed = false
            while !Task.isCancelled, clock.now < deadline {
                if await tryAcquireOrRenew(&observation, before: deadline) {
                    renewed = true
                    break
                }
                guard (try? await clock.sleep(for: configuration.retryPeriod)) != nil else { return }
            }
            guard renewed else {
                logger.warning("failed to renew the lease in time", metadata: ["lease": "\(configuration.name)"])
                return
            }
        }
    }

    /// One attempt that is abandoned (its request cancelled) at `deadline`, so that a slow server
    /// cannot keep a leader leading past its renew deadline.
    private func tryAcquireOrRenew(_ observation: inout Observation, before deadline: C.Instant) async -> Bool {
        let start = observation
        let outcome = await withTaskGroup(of: (renewed: Bool, observation: Observation)?.self) { group in
            group.addTask {
                var attempt = start
                let renewed = await tryAcquireOrRenew(&attempt)
                return (renewed, attempt)
            }
            group.addTask {
                try? await clock.sleep(until: deadline, tolerance: nil)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let outcome else { return false }
        observation = outcome.observation
        return outcome.renewed
    }

    /// One attempt: create the lease, renew ours, or take over an expired or released one.
    private func tryAcquireOrRenew(_ observation: inout Observation) async -> Bool {
        let now = clock.now
        let durationSeconds = max(Int(configuration.leaseDuration.components.seconds), 1)
        var mine = LeaderElectionRecord(
            holderIdentity: configuration.identity, leaseDurationSeconds: durationSeconds, acquireTime: now, renewTime: now)
        let current: JSONValue
        do {
            current = try await leases.get(configuration.name)
        } catch let error as APIError where error.isNotFound {
            do {
                _ = try await leases.create([
                    "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                    "metadata": ["name": .string(configuration.name), "namespace": .string(configuration.namespace)],
                    "spec": mine.spec,
                ])
                await observe(mine, in: &observation)
                return true
            } catch {
                logger.debug("creating the lease failed", metadata: ["error": "\(error)"])
                return false
            }
        } catch {
            logger.debug("reading the lease failed", metadata: ["error": "\(error)"])
            return false
        }

        let record = LeaderElectionRecord(lease: current)
        if observation.record != record {
            await observe(record, in: &observation)
        }
        let isMine = record.holderIdentity == configuration.identity
        if !isMine, !record.holderIdentity.isEmpty, let observedAt = observation.observedAt,
            clock.now < observedAt.advanced(by: .seconds(max(record.leaseDurationSeconds, 0)))
        {
            return false
        }
        if isMine {
            mine.acquireTime = record.acquireTime
            mine.leaseTransitions = record.leaseTransitions
        } else {
            mine.leaseTransitions = record.leaseTransitions + 1
        }
        var updated = current
        updated["spec"] = mine.spec
        do {
            _ = try await leases.update(updated)
            await observe(mine, in: &observation)
            return true
        } catch {
            logger.debug("updating the lease failed", metadata: ["error": "\(error)"])
            return false
        }
    }

    private func observe(_ record: LeaderElectionRecord, in observation: inout Observation) async {
        let newHolder = observation.record?.holderIdentity != record.holderIdentity
        observation.record = record
        observation.observedAt = clock.now
        if newHolder, !record.holderIdentity.isEmpty { await callbacks.onNewLeader(record.holderIdentity) }
    }

    /// Gives the lease up: no holder, a one-second duration, so the next contender takes it at once.
    private func release(_ observation: Observation) async {
        guard let record = observation.record, record.holderIdentity == configuration.identity else { return }
        let now = clock.now
        let released = LeaderElectionRecord(
            holderIdentity: "", leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: record.leaseTransitions)
        let leases = self.leases
        let name = configuration.name
        let identity = configuration.identity
        // The caller's task is cancelled, and a cancelled task's requests are abandoned: the
        // release runs in its own task, awaited here, so it never outlives this call. It reads the
        // lease afresh: a renewal abandoned by that cancellation may still have been written, so
        // the last observed resourceVersion can be stale; only the holder writes its lease, so a
        // fresh read that still names us is safe to release.
        let result = await Task {
            let current = try await leases.get(name)
            guard LeaderElectionRecord(lease: current).holderIdentity == identity else { return }
            _ = try await leases.patch(
                name, type: .merge,
                patch: ["metadata": ["resourceVersion": current.resourceVersion.map(JSONValue.string) ?? .null], "spec": released.spec])
        }.result
        if case .failure(let error) = result {
            logger.warning("releasing the lease failed", metadata: ["error": "\(error)"])
        }
    }
}
