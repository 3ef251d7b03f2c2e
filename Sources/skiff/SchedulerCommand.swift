import ArgumentParser
import Logging
import SkiffAPI
import SkiffClient
import SkiffScheduler

/// `skiff scheduler`: the scheduler alone, against any API server.
struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler", abstract: "Run the scheduler against the cluster a kubeconfig names.")

    @Option(help: "The kubeconfig of the cluster (default: $KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Flag(help: "Schedule only while holding the Lease kube-system/kube-scheduler.")
    var leaderElect = false

    @Option(help: "Requests per second to the API server (0: unlimited; upstream's default 50).")
    var kubeApiQps: Double = 50

    @Option(help: "Requests allowed in a burst above the QPS (upstream's default 100).")
    var kubeApiBurst: Int = 100

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .notice

    func run() async throws {
        var logger = Logger(label: "skiff-scheduler")
        logger.logLevel = logLevel
        let process = SchedulerProcess(kubeconfigPath: kubeconfig, leaderElect: leaderElect, qps: kubeApiQps, burst: kubeApiBurst, logger: logger)
        try await SignalHandling.runUntilTerminated { try await process.run() }
    }
}

/// The scheduler as a process runs it: a client from a kubeconfig with the given rate limits,
/// optionally behind leader election.
struct SchedulerProcess: Sendable {
    /// The Lease contenders hold (upstream's name).
    static let lease = (namespace: "kube-system", name: "kube-scheduler")

    var kubeconfigPath: String?
    var leaderElect: Bool
    var qps: Double = 50
    var burst: Int = 100
    var logger: Logger

    /// Runs until cancelled; throws when leadership is lost (the process should exit then, as upstream's does).
    func run() async throws {
        let client = try ComponentProcess.client(kubeconfigPath: kubeconfigPath, qps: qps, burst: burst, userAgent: "skiff-scheduler")
        let scheduler = Scheduler(client: client, logger: logger)
        try await ComponentProcess.run(client: client, leaderElect: leaderElect, lease: Self.lease, logger: logger) { try? await scheduler.run() }
    }
}
