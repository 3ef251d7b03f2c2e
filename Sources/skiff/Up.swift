import ArgumentParser
import Foundation
import SkiffAPIServer

/// `skiff up`: a whole local cluster in one process (the seed's `hack/local-up-cluster.sh`).
struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start a local Kubernetes cluster.")

    @OptionGroup var options: ServerOptions

    func run() async throws {
        try options.prepareDataDir()
        let logger = options.makeLogger(label: "skiff")
        let service = APIServerService(configuration: options.serviceConfiguration(), logger: logger)
        let options = self.options
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
            }
        }
    }
}
