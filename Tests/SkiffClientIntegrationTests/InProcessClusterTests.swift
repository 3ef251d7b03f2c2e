import SkiffAPI
import SkiffClient
import SkiffTesting
import Synchronization
import Testing

/// SkiffTesting's cluster: components run beside the test and stop at the end of the scope, a
/// failing component fails the scope, and the manual clock is the one components get.
struct InProcessClusterTests {
    /// Whether a component started and whether it was stopped.
    final class Lifecycle: Sendable {
        private let state = Mutex<(started: Bool, stopped: Bool)>((false, false))
        var started: Bool { state.withLock { $0.started } }
        var stopped: Bool { state.withLock { $0.stopped } }
        func start() { state.withLock { $0.started = true } }
        func stop() { state.withLock { $0.stopped = true } }
    }

    struct Boom: Error {}

    @Test func runsComponentsUntilTheScopeEnds() async throws {
        let lifecycle = Lifecycle()
        let component = InProcessCluster.Component.task("recorder") { cluster in
            _ = try await cluster.client.core.v1.namespaces().get("default")
            lifecycle.start()
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                lifecycle.stop()
                throw error
            }
        }
        try await InProcessCluster.withCluster(components: [component]) { cluster in
            try await waitUntil("the component to start") { lifecycle.started }
            #expect(!lifecycle.stopped)
            #expect(cluster.serverURL == "http://127.0.0.1:\(cluster.port)")
        }
        #expect(lifecycle.stopped)
    }

    @Test func aFailingComponentFailsTheScope() async throws {
        let failing = InProcessCluster.Component.task("failing") { _ in throw Boom() }
        await #expect(throws: Boom.self) {
            try await InProcessCluster.withCluster(components: [failing]) { _ in
                try await Task.sleep(for: .seconds(3600))
            }
        }
    }

    @Test func componentsGetTheManualClock() async throws {
        var options = InProcessCluster.Options()
        options.manualClock = true
        try await InProcessCluster.withCluster(options) { cluster in
            let clock = try #require(cluster.manualClock)
            let before = cluster.clock.now
            clock.advance(seconds: 60)
            #expect(cluster.clock.now == before.adding(seconds: 60))
        }
    }
}
