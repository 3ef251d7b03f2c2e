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
    var leaderElectLeaseDuration: GoDuration = GoDuration(.seconds(15))

    @Option(help: "How long the leader keeps trying to renew before it stops leading.")
    var leaderElectRenewDeadline: GoDuration = GoDuration(.seconds(10))

    @Option(help: "How long contenders wait between attempts to acquire or renew.")
    var leaderElectRetryPeriod: GoDuration = GoDuration(.seconds(2))

    /// `component` as it runs: behind leader election on the Lease `kube-system/<lease>` when
    /// `--leader-elect` is given, else directly.
    func wrap(_ component: some Service, lease: String, client: KubernetesClient, logger: Logger) -> any Service {
        guard leaderElect else { return component }
        var election = LeaderElector<SystemClock>.Configuration(
            namespace: "kube-system", name: lease, identity: "\(ProcessInfo.processInfo.hostName)_\(UUID().uuidString.lowercased())")
        election.leaseDuration = leaderElectLeaseDuration.duration
        election.renewDeadline = leaderElectRenewDeadline.duration
        election.retryPeriod = leaderElectRetryPeriod.duration
        return LeaderElectedService(component, election: election, client: client.dynamic, clock: SystemClock(), logger: logger)
    }
}
