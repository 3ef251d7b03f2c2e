import ArgumentParser
import Foundation
import Logging
import SkiffClient
import SkiffKubelet

/// `skiff kubelet`: the kubelet of one node, or of many simulated nodes, against any API server.
struct KubeletCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubelet", abstract: "Run kubelets against the cluster a kubeconfig names.")

    /// The container runtimes a kubelet can use.
    enum Runtime: String, ExpressibleByArgument {
        /// Real processes: images pulled, OCI bundles run with runc (docs/runtime.md).
        case process
        /// No processes: containers are records (for scale and tests).
        case simulated

        /// `process` if this host has what it needs, else `simulated` with the reason.
        static func detected() -> (Runtime, reason: String?) {
            let missing = OCIRuntime.missingPrerequisites()
            return missing.isEmpty ? (.process, nil) : (.simulated, "the process runtime needs \(missing.joined(separator: ", "))")
        }

        /// The node configuration's runtime factory: the first node runs on this runtime, any others are simulated.
        func factory(firstNode: String, rootDirectory: String) -> (@Sendable (String) -> any ContainerRuntime)? {
            guard self == .process else { return nil }
            let runtime = OCIRuntime(configuration: .init(dataDirectory: rootDirectory))
            return { name in name == firstNode ? runtime as any ContainerRuntime : SimulatedRuntime() }
        }
    }

    @Option(help: "The kubeconfig of the cluster (default: $KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Option(help: "The node's name; with --simulate-nodes, the prefix of the names (<name>-0, <name>-1, …).")
    var nodeName: String?

    @Option(help: "The container runtime: process (real containers with runc) or simulated.")
    var runtime: Runtime = .simulated

    @Option(help: "Where the process runtime keeps images, containers and logs.")
    var rootDir = "/var/lib/skiff/kubelet"

    @Option(help: "Simulate this many nodes in this process.")
    var simulateNodes: Int?

    @OptionGroup var node: NodeOptions

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .notice

    func run() async throws {
        var logger = Logger(label: "skiff-kubelet")
        logger.logLevel = logLevel
        let names: [String]
        if let simulateNodes {
            guard simulateNodes > 0 else { throw ValidationError("--simulate-nodes must be positive") }
            let prefix = nodeName ?? "skiff-node"
            names = (0..<simulateNodes).map { "\(prefix)-\($0)" }
        } else {
            names = [nodeName ?? ProcessInfo.processInfo.hostName.lowercased()]
        }
        var configuration = KubeletConfiguration(nodeNames: names)
        configuration.node = node.configuration
        configuration.makeRuntime = runtime.factory(firstNode: names[0], rootDirectory: rootDir)
        configuration.serverPort = runtime == .process ? 10250 : nil
        let process = KubeletProcess(kubeconfigPath: kubeconfig, configuration: configuration, logger: logger)
        try await SignalHandling.runUntilTerminated { try await process.run() }
    }
}

/// What the nodes report about themselves.
struct NodeOptions: ParsableArguments {
    @Option(help: "CPUs each node offers.")
    var cpu = "32"

    @Option(help: "Memory each node offers.")
    var memory = "256Gi"

    @Option(help: "Pods each node can run.")
    var maxPods = "110"

    @Option(help: "Ephemeral storage each node offers.")
    var ephemeralStorage = "1Ti"

    @Option(help: "The node.kubernetes.io/instance-type label.")
    var instanceType: String?

    var configuration: NodeConfiguration {
        var configuration = NodeConfiguration()
        configuration.cpu = cpu
        configuration.memory = memory
        configuration.pods = maxPods
        configuration.ephemeralStorage = ephemeralStorage
        configuration.instanceType = instanceType
        return configuration
    }
}

/// Kubelets as a process runs them: a client from a kubeconfig with upstream's per-kubelet
/// limits (50 qps, burst 100) for each node hosted, one connection pool for all.
struct KubeletProcess: Sendable {
    var kubeconfigPath: String?
    var configuration: KubeletConfiguration
    var logger: Logger

    /// Runs until cancelled; heartbeats stop then.
    func run() async throws {
        var clientConfiguration = try ClientConfiguration.load(rules: .environment(explicitPath: kubeconfigPath))
        let nodes = max(configuration.nodeNames.count, 1)
        clientConfiguration.qps = 50 * Double(nodes)
        clientConfiguration.burst = 100 * nodes
        clientConfiguration.userAgent = "skiff-kubelet"
        let client = try KubernetesClient(configuration: clientConfiguration)
        try await KubeletHost(configuration: configuration, client: client, logger: logger).run()
        try await client.shutdown()
    }
}
