import SkiffCRI
import SkiffKubelet

/// `--container-runtime-endpoint` (upstream's kubelet flag): the first node's containers run on a
/// CRI daemon (containerd, CRI-O) instead of Skiff's own runtimes (docs/runtime.md).
enum ContainerRuntimeEndpoint {
    /// The flag's help, shared by `skiff kubelet` and `skiff up`.
    static let help = "A CRI runtime's socket (unix:///run/containerd/containerd.sock): the first node's containers run there instead of on --runtime."

    /// Connects to the daemon at `endpoint` (asking its `Version`); the node configuration's
    /// runtime factory gives the first node this runtime and any others a simulated one.
    static func factory(
        endpoint: String, firstNode: String, rootDirectory: String
    ) async throws -> (version: String, make: @Sendable (String) -> any ContainerRuntime) {
        let runtime = try await CRIRuntime(configuration: .init(endpoint: endpoint, dataDirectory: rootDirectory))
        return (runtime.version, { name in name == firstNode ? runtime as any ContainerRuntime : SimulatedRuntime() })
    }
}
