import ArgumentParser
import Logging
import ServiceLifecycle
import SkiffClient
import SkiffScheduler

/// `skiff scheduler`: the scheduler alone, against any API server.
struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler", abstract: "Run the scheduler against the cluster a kubeconfig names.")

    /// Upstream's kube-scheduler limits: 50 qps, burst 100.
    enum Defaults: ComponentDefaults {
        static let name = "skiff-scheduler"
        static let kubeAPIQPS = 50.0
        static let kubeAPIBurst = 100
    }

    @OptionGroup var options: ComponentOptions<Defaults>

    @OptionGroup var leaderElection: LeaderElectionOptions

    @OptionGroup var metrics: MetricsPortOptions

    func run() async throws {
        let logger = options.makeLogger()
        let process = SchedulerCommand.process(options: options, leaderElection: leaderElection, logger: logger)
        try await ServiceGroup.process(metrics.services(logger: logger) + [.init(service: process, serviceName: "scheduler")], logger: logger).run()
    }

    /// The scheduler as a process runs it: its own client, behind leader election on
    /// `kube-system/kube-scheduler` if asked.
    static func process(options: ComponentOptions<Defaults>, leaderElection: LeaderElectionOptions, logger: Logger) -> ComponentClient {
        let source = options.clientSource()
        return ComponentClient(source: source) { client in
            leaderElection.wrap(Scheduler(client: client, logger: logger), lease: "kube-scheduler", source: source, logger: logger)
        }
    }
}
