import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SkiffClient
import SkiffProxy

/// `skiff proxy`: the node's service proxy (kube-proxy in nftables mode, or iptables mode), against any API server.
struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy", abstract: "Run the service proxy of a node (kube-proxy, nftables or iptables mode).")

    /// Upstream's kube-proxy limits: 5 qps, burst 10.
    enum Defaults: ComponentDefaults {
        static let name = "skiff-proxy"
        static let kubeAPIQPS = 5.0
        static let kubeAPIBurst = 10
    }

    @OptionGroup var options: ComponentOptions<Defaults>

    @OptionGroup var proxy: ProxyOptions

    func run() async throws {
        let logger = options.makeLogger()
        let backend = try proxy.backend()
        let configuration = proxy.configuration(nodeName: proxy.hostnameOverride ?? ProcessInfo.processInfo.hostName.lowercased())
        let process = ProxyCommand.process(options: options, configuration: configuration, backend: backend, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: process, serviceName: "proxy")]
        if proxy.networkPolicy, case .nftables(let nft) = backend {
            let agent = ProxyCommand.networkPolicyProcess(options: options, configuration: configuration, nft: nft, logger: logger)
            services.append(.init(service: agent, serviceName: "network-policy"))
        }
        try await ServiceGroup.process(services, logger: logger).run()
    }

    /// The proxy as a process runs it, with its own client.
    static func process(options: ComponentOptions<Defaults>, configuration: ProxyConfiguration, backend: ProxyBackend, logger: Logger) -> ComponentClient {
        ComponentClient(source: options.clientSource()) { client in
            switch backend {
            case .nftables(let nft):
                KubeProxy(configuration: configuration, client: client, writer: NFTCommand(executable: nft), logger: logger)
            case .iptables(let directory):
                KubeProxy(configuration: configuration, client: client, iptables: IPTablesCommand(directory: directory), logger: logger)
            }
        }
    }

    /// The network policy agent (its own table, docs/networkpolicy.md) as a process runs it, with its own client.
    static func networkPolicyProcess(options: ComponentOptions<Defaults>, configuration: ProxyConfiguration, nft: String, logger: Logger) -> ComponentClient {
        ComponentClient(source: options.clientSource()) { client in
            NetworkPolicyAgent(configuration: configuration, client: client, writer: NFTCommand(executable: nft), logger: logger)
        }
    }
}

/// kube-proxy's flags that the nftables and iptables modes read, under upstream's names.
struct ProxyOptions: ParsableArguments {
    @Option(help: "How rules are programmed: nftables or iptables (default: nftables, iptables when nft is missing; the network policy agent needs nftables).")
    var proxyMode: ProxyBackend.Mode?

    @Option(help: "The node's name, if not the host name (endpoints on it are local).")
    var hostnameOverride: String?

    @Option(help: "The pods' CIDR: traffic to a ClusterIP from outside it is masqueraded.")
    var clusterCidr: String?

    @Option(help: "The least time between two rule syncs (changes closer together are written together).")
    var iptablesMinSyncPeriod = DurationFlag(.seconds(1))

    @Option(help: "The most time between two rule syncs.")
    var iptablesSyncPeriod = DurationFlag(.seconds(30))

    @Option(help: "The bit of the packet mark that asks for masquerading (0-31).")
    var iptablesMasqueradeBit = 14

    @Flag(inversion: .prefixedEnableDisable, help: "Enforce NetworkPolicies on the node's pods (nftables table skiff-netpol).")
    var networkPolicy = true

    func configuration(nodeName: String) -> ProxyConfiguration {
        var configuration = ProxyConfiguration(nodeName: nodeName)
        configuration.clusterCIDR = clusterCidr
        configuration.minSyncPeriod = iptablesMinSyncPeriod.duration
        configuration.syncPeriod = iptablesSyncPeriod.duration
        configuration.masqueradeBit = iptablesMasqueradeBit
        return configuration
    }

    /// The mode asked for, or the one this host has tools for.
    func backend() throws -> ProxyBackend {
        guard let backend = ProxyBackend.find(proxyMode) else {
            throw ValidationError(proxyMode == .iptables
                ? "the iptables proxy needs iptables, iptables-restore and iptables-save (Debian package iptables)"
                : "the service proxy needs nft (Debian package nftables) or iptables-restore (Debian package iptables)")
        }
        return backend
    }
}

/// How the service proxy programs the kernel, with the tools' location.
enum ProxyBackend: Sendable {
    /// `--proxy-mode`'s values.
    enum Mode: String, ExpressibleByArgument, Sendable {
        case nftables, iptables
    }

    /// `nft` at this path.
    case nftables(String)
    /// The iptables tools in this directory.
    case iptables(String)

    /// The backend of `mode` if its tools are here; without a mode, nftables, else iptables.
    static func find(_ mode: Mode?) -> ProxyBackend? {
        let nft = mode == .iptables ? nil : NFTCommand.find().map(ProxyBackend.nftables)
        let iptables = mode == .nftables ? nil : IPTablesCommand.find().map(ProxyBackend.iptables)
        return nft ?? iptables
    }
}
