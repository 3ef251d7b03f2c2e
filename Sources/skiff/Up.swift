import ArgumentParser
import Foundation
import SkiffAPIServer

/// `skiff up`: a whole local cluster in one process (the seed's `hack/local-up-cluster.sh`): the
/// API server, and the controller manager and the scheduler once the server is ready.
struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start a local Kubernetes cluster.")

    @OptionGroup var options: ServerOptions

    func run() async throws {
        try options.prepareDataDir()
        let logger = options.makeLogger(label: "skiff")
        let service = APIServerService(configuration: options.serviceConfiguration(), logger: logger)
        let options = self.options
        let (ready, readyInput) = AsyncStream<Void>.makeStream()
        let controllers = ControllerManagerProcess(kubeconfigPath: options.kubeconfigPath, leaderElect: false, logger: logger)
        let scheduler = SchedulerProcess(kubeconfigPath: options.kubeconfigPath, leaderElect: false, logger: logger)
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
            }
        }
    }
}
