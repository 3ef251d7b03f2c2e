import ArgumentParser
import SkiffAPI
import SkiffClient
import SkiffModels

/// client-go's out-of-cluster example: connects with a kubeconfig and counts the pods of the
/// whole cluster.
@main
struct OutOfClusterClient: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "out-of-cluster-client", abstract: "Print how many pods the cluster has.")

    @Option(help: "Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Option(help: "The kubeconfig context to use (default: its current context).")
    var context: String?

    func run() async throws {
        let configuration = try ClientConfiguration.load(rules: .environment(explicitPath: kubeconfig), context: context)
        let client = try KubernetesClient(configuration: configuration)
        do {
            let pods = try await client.dynamic.resource(CoreV1.Pod.groupVersionResource).list()
            print("There are \(pods.items.count) pods in the cluster")
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
