import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient

/// `--leader-elect` and its lease timings, as upstream's control-plane components have them.
struct LeaderElectionOptions: ParsableArguments {
    @Flag(help: "Run only while holding the component's Lease in kube-system (upstream's kube-controller-manager, kube-scheduler).")
    var leaderElect = false

    @Option(help: "How long others wait after the last renewal before taking the lease over.")
    var leaderElectLeaseDuration: DurationFlag = DurationFlag(.seconds(15))

    @Option(help: "How long the leader keeps trying to renew before it stops leading.")
    var leaderElectRenewDeadline: DurationFlag = DurationFlag(.seconds(10))

    @Option(help: "How long contenders wait between attempts to acquire or renew.")
    var leaderElectRetryPeriod: DurationFlag = DurationFlag(.seconds(2))

    /// `component` as it runs: behind leader election on the Lease `kube-system/<lease>` when
    /// `--leader-elect` is given, else directly. The election has a client of its own from
    /// `source` (user agent `…/leader-election`), as upstream's components do, so that renewals
    /// never queue behind the component's requests in its client's rate limiter.
    func wrap(_ component: some Service, lease: String, source: @escaping ComponentClient.Source, logger: Logger) -> any Service {
        guard leaderElect else { return component }
        var configuration = LeaderElector<SystemClock>.Configuration(
            namespace: "kube-system", name: lease, identity: "\(ProcessInfo.processInfo.hostName)_\(UUID().uuidString.lowercased())")
        configuration.leaseDuration = leaderElectLeaseDuration.duration
        configuration.renewDeadline = leaderElectRenewDeadline.duration
        configuration.retryPeriod = leaderElectRetryPeriod.duration
        let election = configuration
        let electionSource: ComponentClient.Source = {
            var configuration = try source()
            configuration.userAgent += "/leader-election"
            return configuration
        }
        return ComponentClient(source: electionSource) { client in
            LeaderElectedService(component, election: election, client: client.dynamic, clock: SystemClock(), logger: logger)
        }
    }
}
