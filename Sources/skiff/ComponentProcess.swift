import ArgumentParser
import Foundation
import Logging
import SkiffClient

/// What the control-plane components (controller manager, scheduler) share as processes: a client
/// from a kubeconfig with the component's rate limits, and running either directly or only while
/// holding the component's Lease.
enum ComponentProcess {
    /// A client for the cluster the kubeconfig at `path` (or the environment's) names.
    static func client(kubeconfigPath: String?, qps: Double, burst: Int, userAgent: String) throws -> KubernetesClient {
        var configuration = try ClientConfiguration.load(rules: .environment(explicitPath: kubeconfigPath))
        configuration.qps = qps
        configuration.burst = burst
        configuration.userAgent = userAgent
        return try KubernetesClient(configuration: configuration)
    }

    /// Runs `component` until cancelled, with `leaderElect` only while holding the Lease
    /// `namespace/name` (released on shutdown); shuts the client down after. Throws when
    /// leadership is lost (the process should exit then, as upstream's components do).
    static func run(
        client: KubernetesClient, leaderElect: Bool, lease: (namespace: String, name: String), logger: Logger,
        _ component: @escaping @Sendable () async -> Void
    ) async throws {
        if leaderElect {
            var election = LeaderElector<ContinuousClock>.Configuration(
                namespace: lease.namespace, name: lease.name,
                identity: "\(ProcessInfo.processInfo.hostName)_\(UUID().uuidString.lowercased())")
            election.releaseOnCancel = true
            let elector = LeaderElector(
                configuration: election, callbacks: .init(onStartedLeading: { await component() }), client: client.dynamic,
                clock: ContinuousClock(), logger: logger)
            await elector.run()
        } else {
            await component()
        }
        try await client.shutdown()
        if leaderElect, !Task.isCancelled { throw ValidationError("leader election lost") }
    }
}
