import Logging
import SkiffAPI
import SkiffClient
import Synchronization
import SkiffTesting
import Testing

/// Two contenders for one Lease on a real server.
struct LeaderElectionTests {
    /// Which contender leads, as the callbacks report it.
    final class Leadership: Sendable {
        private let state = Mutex<(leader: String?, started: [String], stopped: [String], seen: [String: [String]])>((nil, [], [], [:]))
        var leader: String? { state.withLock { $0.leader } }
        var started: [String] { state.withLock { $0.started } }
        var stopped: [String] { state.withLock { $0.stopped } }
        func seen(by identity: String) -> [String] { state.withLock { $0.seen[identity] ?? [] } }

        func callbacks(for identity: String) -> LeaderElector<SystemClock>.Callbacks {
            LeaderElector.Callbacks(
                onStartedLeading: {
                    self.state.withLock { state in
                        state.leader = identity
                        state.started.append(identity)
                    }
                    // Lead until cancelled.
                    await WakeSignal().wait()
                },
                onStoppedLeading: {
                    self.state.withLock { state in
                        if state.leader == identity { state.leader = nil }
                        state.stopped.append(identity)
                    }
                },
                onNewLeader: { holder in self.state.withLock { $0.seen[identity, default: []].append(holder) } })
        }
    }

    func contender(_ identity: String, client: KubernetesClient, leadership: Leadership, release: Bool) -> LeaderElector<SystemClock> {
        var configuration = LeaderElector<SystemClock>.Configuration(namespace: "default", name: "the-lock", identity: identity)
        configuration.leaseDuration = .seconds(3)
        configuration.renewDeadline = .seconds(2)
        configuration.retryPeriod = .milliseconds(200)
        configuration.releaseOnCancel = release
        return LeaderElector(
            configuration: configuration, callbacks: leadership.callbacks(for: identity), client: client.dynamic,
            clock: SystemClock(), logger: InProcessCluster.quietLogger)
    }

    @Test(arguments: [true, false])
    func handsOverWhenTheLeaderStops(releaseOnCancel: Bool) async throws {
        try await InProcessCluster.withCluster { cluster in
            let client = cluster.client
            let leadership = Leadership()
            let one = contender("one", client: client, leadership: leadership, release: releaseOnCancel)
            let two = contender("two", client: client, leadership: leadership, release: releaseOnCancel)
            let first = Task { await one.run() }
            try await waitUntil("the first leader") { leadership.leader == "one" }
            let second = Task { await two.run() }
            try await waitUntil("the follower to see the leader") { leadership.seen(by: "two") == ["one"] }
            #expect(leadership.leader == "one")

            first.cancel()
            await first.value
            #expect(leadership.stopped == ["one"])
            try await waitUntil("the hand-over", timeout: .seconds(60)) { leadership.leader == "two" }
            #expect(leadership.started == ["one", "two"])

            let lease = try await client.dynamic.resource(GroupVersionResource(group: "coordination.k8s.io", version: "v1", resource: "leases"))
                .namespace("default").get("the-lock")
            #expect(lease[path: "spec", "holderIdentity"] == "two")
            #expect(lease[path: "spec", "leaseTransitions"] == 1)
            #expect(lease[path: "spec", "leaseDurationSeconds"] == 3)
            let renewTime = try #require(lease[path: "spec", "renewTime"]?.stringValue)
            #expect(renewTime.count == "2006-01-02T15:04:05.000000Z".count)
            #expect(Timestamp(rfc3339: renewTime) != nil)

            second.cancel()
            await second.value
        }
    }
}
