import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
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

        /// Makes the first node run on this runtime, any others simulated; with the process
        /// runtime the first node reports this machine's CPUs, memory and disk as its capacity and
        /// evicts as `eviction` says.
        func apply(to configuration: inout KubeletConfiguration, rootDirectory: String, eviction: EvictionConfiguration) {
            guard self == .process, let firstNode = configuration.nodeNames.first else { return }
            let runtime = OCIRuntime(configuration: .init(dataDirectory: rootDirectory))
            configuration.makeRuntime = { name in name == firstNode ? runtime as any ContainerRuntime : SimulatedRuntime() }
            configuration.nodeOverrides[firstNode] = configuration.node.measuringHost(dataDirectory: rootDirectory, eviction: eviction)
        }
    }

    /// Upstream's kubelet limits, per node hosted: 50 qps, burst 100.
    enum Defaults: ComponentDefaults {
        static let name = "skiff-kubelet"
        static let kubeAPIQPS = 50.0
        static let kubeAPIBurst = 100
    }

    @OptionGroup var options: ComponentOptions<Defaults>

    @Option(help: "The node's name; with --simulate-nodes, the prefix of the names (<name>-0, <name>-1, …).")
    var nodeName: String?

    @Option(help: "The container runtime: process (real containers with runc) or simulated.")
    var runtime: Runtime = .simulated

    @Option(help: "Where the process runtime keeps images, containers and logs.")
    var rootDir = "/var/lib/skiff/kubelet"

    @Option(help: ArgumentHelp(stringLiteral: ContainerRuntimeEndpoint.help))
    var containerRuntimeEndpoint: String?

    @Option(help: "Simulate this many nodes in this process.")
    var simulateNodes: Int?

    @OptionGroup var node: NodeOptions

    @OptionGroup var eviction: EvictionOptions

    @Option(help: "Cluster DNS server addresses for pods' resolv.conf, comma-separated (none: ClusterFirst pods get the host's).")
    var clusterDns: String = ""

    @Option(help: "The cluster domain pods search.")
    var clusterDomain = "cluster.local"

    @Option(help: "The host resolver configuration pods start from (\"\": none).")
    var resolvConf = "/etc/resolv.conf"

    func run() async throws {
        let logger = options.makeLogger()
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
        configuration.dns.clusterDNS = clusterDns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        configuration.dns.clusterDomain = clusterDomain
        configuration.dns.resolvConf = resolvConf
        if let containerRuntimeEndpoint {
            let cri = try await ContainerRuntimeEndpoint.factory(endpoint: containerRuntimeEndpoint, firstNode: names[0], rootDirectory: rootDir)
            logger.info("using the CRI runtime", metadata: ["endpoint": "\(containerRuntimeEndpoint)", "version": "\(cri.version)"])
            configuration.makeRuntime = cri.make
            configuration.nodeOverrides[names[0]] = configuration.node.measuringHost(dataDirectory: rootDir, eviction: try eviction.configuration())
        } else {
            runtime.apply(to: &configuration, rootDirectory: rootDir, eviction: try eviction.configuration())
        }
        configuration.serverPort = runtime == .process || containerRuntimeEndpoint != nil ? 10250 : nil
        let process = KubeletCommand.process(options: options, configuration: configuration, logger: logger)
        try await ServiceGroup.process([.init(service: process, serviceName: "kubelet")], logger: logger).run()
    }

    /// Kubelets as a process runs them: one client for all the nodes hosted (one connection
    /// pool), with the per-node limits times the number of nodes.
    static func process(options: ComponentOptions<Defaults>, configuration: KubeletConfiguration, logger: Logger) -> ComponentClient {
        ComponentClient(source: options.clientSource(scale: max(configuration.nodeNames.count, 1))) { client in
            KubeletHost(configuration: configuration, client: client, logger: logger)
        }
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
