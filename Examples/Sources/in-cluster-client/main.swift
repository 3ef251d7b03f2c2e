import ArgumentParser
import ExampleSupport
import SkiffAPI
import SkiffClient
import SkiffModels

/// client-go's in-cluster example: inside a pod, the client finds the API server in
/// `KUBERNETES_SERVICE_HOST`/`KUBERNETES_SERVICE_PORT` and authenticates with the service
/// account's token, CA and namespace under `/var/run/secrets/kubernetes.io/serviceaccount`.
/// `--service-account-dir` points elsewhere to try it outside a pod with a token file.
@main
struct InClusterClient: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "in-cluster-client", abstract: "Count the pods of the cluster this pod runs in.")

    @Option(help: "The directory holding token, ca.crt and namespace.")
    var serviceAccountDir = ClientConfiguration.serviceAccountDirectory

    @Option(name: [.customShort("v"), .customLong("v")], help: "Request log verbosity: 6 URLs, 7 headers, 8 bodies.")
    var verbosity: Int?

    func run() async throws {
        var configuration = try ClientConfiguration.inCluster(directory: serviceAccountDir)
        if let verbosity { configuration = configuration.verbosity(verbosity) }
        try await withClient(configuration) { client in
            let pods = try await client.core.v1.pods().list()
            print("There are \(pods.items.count) pods in the cluster")
            let own = try await client.core.v1.pods(client.defaultNamespace).list()
            print("There are \(own.items.count) pods in namespace \(client.defaultNamespace)")
        }
    }
}
