import ArgumentParser
import ExampleSupport
import SkiffAPI
import SkiffClient
import SkiffModels

/// client-go's out-of-cluster example: connects with a kubeconfig, counts the pods of the whole
/// cluster, then looks for one pod by name and tells whether it exists.
@main
struct OutOfClusterClient: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "out-of-cluster-client", abstract: "Print how many pods the cluster has, and whether one pod exists.")

    @OptionGroup var client: ClientOptions

    @Option(help: "The namespace of the pod to look for.")
    var namespace = "default"

    @Option(help: "The pod to look for.")
    var pod = "example-xxxxx"

    func run() async throws {
        try await withClient(try client.configuration()) { client in
            let pods = try await client.core.v1.pods().list()
            print("There are \(pods.items.count) pods in the cluster")
            // Errors from the server are APIErrors; their reason tells what went wrong.
            do {
                _ = try await client.core.v1.pods(namespace).get(pod)
                print("Found pod \(pod) in namespace \(namespace)")
            } catch let error as APIError where error.isNotFound {
                print("Pod \(pod) in namespace \(namespace) not found")
            }
        }
    }
}
