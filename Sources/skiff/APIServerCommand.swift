import ArgumentParser
import Foundation
import SkiffAPIServer

/// `skiff apiserver`: the API server alone.
struct APIServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apiserver", abstract: "Run the API server alone.")

    @OptionGroup var options: ServerOptions

    func run() async throws {
        try options.prepareDataDir()
        let logger = options.makeLogger(label: "skiff-apiserver")
        let service = APIServerService(configuration: options.serviceConfiguration(), logger: logger)
        let options = self.options
        try await SignalHandling.runUntilTerminated {
            try await service.run { port in
                try? options.writeKubeconfig(port: port)
                Console.say("API server is ready on http://\(options.bindAddress):\(port) (kubeconfig: \(options.kubeconfigPath))")
            }
        }
    }
}
