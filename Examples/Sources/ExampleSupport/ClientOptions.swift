import ArgumentParser
import SkiffClient

/// The flags every out-of-cluster example takes: which kubeconfig and context, and how much of
/// each request to log (`-v 6`, `-v 7`, `-v 8` as kubectl; `SKIFF_CLIENT_VERBOSITY` otherwise).
public struct ClientOptions: ParsableArguments {
    @Option(help: "Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config).")
    public var kubeconfig: String?

    @Option(help: "The kubeconfig context to use (default: its current context).")
    public var context: String?

    @Option(name: [.customShort("v"), .customLong("v")], help: "Request log verbosity: 6 URLs, 7 headers, 8 bodies.")
    public var verbosity: Int?

    public init() {}

    /// The configuration the flags name.
    public func configuration() throws -> ClientConfiguration {
        let configuration = try ClientConfiguration.load(rules: .environment(explicitPath: kubeconfig), context: context)
        return verbosity.map { configuration.verbosity($0) } ?? configuration
    }
}

/// Runs `body` with a client on `configuration` and shuts the client down afterwards, whether
/// `body` succeeded or threw.
public func withClient<Result>(
    _ configuration: ClientConfiguration, _ body: (KubernetesClient) async throws -> Result
) async throws -> Result {
    let client = try KubernetesClient(configuration: configuration)
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}
