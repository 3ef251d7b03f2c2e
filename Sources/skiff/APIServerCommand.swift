import ArgumentParser
import Foundation
import ServiceLifecycle
import SkiffAPIServer

/// `skiff apiserver`: the API server alone.
struct APIServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apiserver", abstract: "Run the API server alone.")

    @OptionGroup var options: ServerOptions

    func run() async throws {
        try options.prepareDataDir()
        let logger = options.makeLogger(label: "skiff-apiserver")
        let options = self.options
        let credentials = try options.prepareCredentials(nodeNames: [])
        let server = APIServerService(configuration: try await options.serviceConfiguration(credentials: credentials), logger: logger) { port in
            try? options.writeKubeconfigs(port: port, credentials: credentials)
            Console.say("API server is ready on \(options.scheme)://\(options.bindAddress):\(port) (kubeconfig: \(options.kubeconfigPath))")
        }
        try await ServiceGroup.process([.init(service: server, serviceName: "apiserver")], logger: logger).run()
    }
}
