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

    @Option(help: "Simulated nodes to run (skiff-node-0, skiff-node-1, …).")
    var nodes = 1

    func run() async throws {
        try options.prepareDataDir()
        let logger = options.makeLogger(label: "skiff")
        let service = APIServerService(configuration: options.serviceConfiguration(), logger: logger)
        let options = self.options
        let (ready, readyInput) = AsyncStream<Void>.makeStream()
        let controllers = ControllerManagerProcess(kubeconfigPath: options.kubeconfigPath, leaderElect: false, logger: logger)
        let scheduler = SchedulerProcess(kubeconfigPath: options.kubeconfigPath, leaderElect: false, logger: logger)
        let runsNodes = nodes > 0
        let kubelets = KubeletProcess(
            kubeconfigPath: options.kubeconfigPath, configuration: KubeletConfiguration(nodeNames: KubeletConfiguration.simulatedNodeNames(nodes)),
            logger: logger)
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
