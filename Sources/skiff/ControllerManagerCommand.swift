import ArgumentParser
import Logging
import SkiffAPI
import SkiffClient
import SkiffControllers

/// `skiff controller-manager`: the controllers alone, against any API server.
struct ControllerManagerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller-manager", abstract: "Run the controllers against the cluster a kubeconfig names.")

    @Option(help: "The kubeconfig of the cluster (default: $KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Flag(help: "Run the controllers only while holding the Lease kube-system/kube-controller-manager.")
    var leaderElect = false

    @Option(help: "Requests per second to the API server (0: unlimited; upstream's default 20).")
    var kubeApiQps: Double = 20

    @Option(help: "Requests allowed in a burst above the QPS (upstream's default 30).")
    var kubeApiBurst: Int = 30

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .notice

    func run() async throws {
        var logger = Logger(label: "skiff-controller-manager")
        logger.logLevel = logLevel
        let process = ControllerManagerProcess(
            kubeconfigPath: kubeconfig, leaderElect: leaderElect, qps: kubeApiQps, burst: kubeApiBurst, logger: logger)
        try await SignalHandling.runUntilTerminated { try await process.run() }
    }
}

/// The controller manager as a process runs it: a client from a kubeconfig with the given rate
/// limits (upstream's 20 qps, burst 30 by default), optionally behind leader election.
struct ControllerManagerProcess: Sendable {
    /// The Lease contenders hold (upstream's name).
    static let lease = (namespace: "kube-system", name: "kube-controller-manager")

    var kubeconfigPath: String?
    var leaderElect: Bool
    var qps: Double = 20
    var burst: Int = 30
    var logger: Logger

    /// Runs until cancelled; throws when leadership is lost (the process should exit then, as upstream's does).
    func run() async throws {
        let client = try ComponentProcess.client(kubeconfigPath: kubeconfigPath, qps: qps, burst: burst, userAgent: "skiff-controller-manager")
        let manager = ControllerManager(client: client, logger: logger)
        try await ComponentProcess.run(client: client, leaderElect: leaderElect, lease: Self.lease, logger: logger) { await manager.run() }
    }
}
