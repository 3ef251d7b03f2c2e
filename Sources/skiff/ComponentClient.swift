import ServiceLifecycle
import SkiffClient

/// A component run with its own client: the client is made from `source` when the service starts
/// (so `skiff up` can write the kubeconfig first), the component from the client, and the client
/// is shut down once the component has stopped.
struct ComponentClient: Service {
    /// Reads the client's configuration.
    typealias Source = @Sendable () throws -> ClientConfiguration

    let source: Source
    let component: @Sendable (KubernetesClient) throws -> any Service

    func run() async throws {
        let client = try KubernetesClient(configuration: try source())
        do {
            try await component(client).run()
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
