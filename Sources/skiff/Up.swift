import ArgumentParser
import Foundation
import SkiffAPIServer
import SkiffKubelet

/// `skiff up`: a whole local cluster in one process (the seed's `hack/local-up-cluster.sh`): the
/// API server, and once it is ready the controller manager, the scheduler and the kubelets of
/// simulated nodes.
struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start a local Kubernetes cluster.")

    @OptionGroup var options: ServerOptions

    @Option(help: "Nodes to run (skiff-node-0, skiff-node-1, …); with the process runtime the first runs real containers.")
    var nodes = 1

    @Option(help: "The container runtime of the first node: process or simulated (default: process where the host supports it).")
    var runtime: KubeletCommand.Runtime?

    func run() async throws {
        try options.prepareDataDir()
        let logger = options.makeLogger(label: "skiff")
        let service = APIServerService(configuration: options.serviceConfiguration(), logger: logger)
        let options = self.options
        let (ready, readyInput) = AsyncStream<Void>.makeStream()
        let controllers = ControllerManagerProcess(kubeconfigPath: options.kubeconfigPath, leaderElect: false, logger: logger)
        let scheduler = SchedulerProcess(kubeconfigPath: options.kubeconfigPath, leaderElect: false, logger: logger)
        let runsNodes = nodes > 0
        var kubeletConfiguration = KubeletConfiguration(nodeNames: KubeletConfiguration.simulatedNodeNames(nodes))
        let (detected, reason) = KubeletCommand.Runtime.detected()
        if runtime == nil, let reason { Console.say("Using the simulated container runtime: \(reason).") }
        kubeletConfiguration.makeRuntime = (runtime ?? detected).factory(
            firstNode: kubeletConfiguration.nodeNames.first ?? "", rootDirectory: options.dataDir + "/kubelet")
        kubeletConfiguration.serverPort = 0
        let kubelets = KubeletProcess(kubeconfigPath: options.kubeconfigPath, configuration: kubeletConfiguration, logger: logger)
        try await SignalHandling.runUntilTerminated {
            try await service.run { port in
                do {
                    try options.writeKubeconfig(port: port)
                } catch {
                    logger.critical("cannot write the kubeconfig", metadata: ["error": "\(error)"])
                }
                Console.say("""
                    Local Kubernetes cluster is running. Press Ctrl-C to shut it down.
                    API server: http://\(options.bindAddress):\(port)   storage: \(options.storageURL)
                    To use it:
                      export KUBECONFIG=\(options.kubeconfigPath)
                      kubectl get namespaces
                    """)
                readyInput.finish()
            }
        } dependent: {
            // The controllers and the scheduler talk to the server like any client, through the kubeconfig just written.
            for await _ in ready {}
            guard !Task.isCancelled else { return }
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await controllers.run() }
                group.addTask { try await scheduler.run() }
                if runsNodes { group.addTask { try await kubelets.run() } }
            }
        }
    }
}
