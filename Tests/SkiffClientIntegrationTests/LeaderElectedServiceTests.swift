import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient
import SkiffTesting
import Synchronization
import Testing

/// `LeaderElectedService`: the wrapped service runs only while its contender leads.
struct LeaderElectedServiceTests {
    /// What the wrapped services did, by contender.
    final class Runs: Sendable {
        private let state = Mutex<(started: [String], ended: [String: String])>(([], [:]))
        var started: [String] { state.withLock { $0.started } }
        func ending(of identity: String) -> String? { state.withLock { $0.ended[identity] } }

        /// A service that leads until graceful shutdown or cancellation and records which.
        func service(_ identity: String) -> ClosureService {
            ClosureService {
                self.state.withLock { $0.started.append(identity) }
                do {
                    try await gracefulShutdown()
                    self.state.withLock { $0.ended[identity] = "graceful" }
                } catch {
                    self.state.withLock { $0.ended[identity] = "cancelled" }
                    throw error
                }
            }
        }
    }

    /// A contender for `default/the-lock` whose lease lasts 10 s: long enough that a hand-over
    /// within it shows a release, and renewals that survive a loaded machine; `renewDeadline`
    /// short only where a test waits for leadership to be lost.
    func contender(
        _ identity: String, runs: Runs, client: KubernetesClient, renewDeadline: Duration = .seconds(5)
    ) -> LeaderElectedService<ClosureService, SystemClock> {
        var election = LeaderElector<SystemClock>.Configuration(namespace: "default", name: "the-lock", identity: identity)
        election.leaseDuration = .seconds(10)
        election.renewDeadline = renewDeadline
        election.retryPeriod = .milliseconds(200)
        return LeaderElectedService(
            runs.service(identity), election: election, client: client.dynamic, clock: SystemClock(), logger: InProcessCluster.quietLogger)
    }

    func group(_ service: some Service) -> ServiceGroup {
        ServiceGroup(configuration: .init(services: [service], logger: InProcessCluster.quietLogger))
    }

    @Test func gracefulShutdownDrainsTheLeaderAndHandsTheLeaseOver() async throws {
        try await InProcessCluster.withCluster { cluster in
            let runs = Runs()
            let one = group(contender("one", runs: runs, client: cluster.client))
            let two = group(contender("two", runs: runs, client: cluster.client))
            async let first: Void = one.run()
            try await waitUntil("the first leader runs its service") { runs.started == ["one"] }
            async let second: Void = two.run()
            await one.triggerGracefulShutdown()
            try await first
            #expect(runs.ending(of: "one") == "graceful")
            // The lease was released, so the follower takes over before it would have expired.
            try await waitUntil("the follower runs its service", timeout: .seconds(8)) { runs.started == ["one", "two"] }
            await two.triggerGracefulShutdown()
            try await second
        }
    }

    @Test func gracefulShutdownBeforeLeadingStopsContending() async throws {
        try await InProcessCluster.withCluster { cluster in
            let runs = Runs()
            let one = group(contender("one", runs: runs, client: cluster.client))
            async let first: Void = one.run()
            try await waitUntil("the first leader runs its service") { runs.started == ["one"] }
            let two = group(contender("two", runs: runs, client: cluster.client))
            async let second: Void = two.run()
            await two.triggerGracefulShutdown()
            try await second
            #expect(runs.started == ["one"])
            await one.triggerGracefulShutdown()
            try await first
        }
    }

    @Test func losingTheLeaseStopsTheServiceAndThrows() async throws {
        try await InProcessCluster.withCluster { cluster in
            let runs = Runs()
            let one = contender("one", runs: runs, client: cluster.client, renewDeadline: .seconds(1))
            let outcome = Task { try await one.run() }
            try await waitUntil("the leader runs its service") { runs.started == ["one"] }
            // Another holder takes the lease over behind the leader's back.
            let leases = cluster.client.dynamic.resource(GroupVersionResource(group: "coordination.k8s.io", version: "v1", resource: "leases"))
                .namespace("default")
            try await waitUntil("the lease is taken over") {
                var lease = try await leases.get("the-lock")
                lease[path: "spec", "holderIdentity"] = "someone-else"
                lease[path: "spec", "leaseDurationSeconds"] = 3600
                _ = try await leases.update(lease)
                return true
            }
            let result = await outcome.result
            #expect(throws: LeaderElectedService<ClosureService, SystemClock>.LeadershipLost.self) { try result.get() }
            #expect(runs.ending(of: "one") == "cancelled")
        }
    }
}
