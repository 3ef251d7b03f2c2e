import ArgumentParser
import Logging
import ServiceLifecycle
import SkiffDNS

/// `skiff dns`: the cluster DNS server alone, against any API server.
struct DNSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dns", abstract: "Serve cluster DNS for the cluster a kubeconfig names.")

    /// CoreDNS' client limits are client-go's defaults: 5 qps, burst 10 (it only lists and watches).
    enum Defaults: ComponentDefaults {
        static let name = "skiff-dns"
        static let kubeAPIQPS = 5.0
        static let kubeAPIBurst = 10
    }

    @OptionGroup var options: ComponentOptions<Defaults>

    @OptionGroup var dns: DNSOptions

    @Option(help: "Listen on this address.")
    var bind = "0.0.0.0"

    @Option(help: "Listen on this port (UDP and TCP).")
    var port = 53

    @Option(help: "Keep the kube-system/kube-dns Service with this address as its endpoint (default: leave the Service alone).")
    var advertiseAddress: String?

    func run() async throws {
        let logger = options.makeLogger()
        var configuration = dns.configuration(host: bind, port: port)
        configuration.service = advertiseAddress.map { address in
            var service = KubeDNSService.Configuration(address: address)
            service.clusterIP = dns.serviceIP
            return service
        }
        let process = Self.process(options: options, configuration: configuration, logger: logger)
        try await ServiceGroup.process([.init(service: process, serviceName: "dns")], logger: logger).run()
    }

    /// The server as a process runs it, with its own client.
    static func process(options: ComponentOptions<Defaults>, configuration: ClusterDNS.Configuration, logger: Logger) -> ComponentClient {
        ComponentClient(source: options.clientSource()) { client in
            ClusterDNS(configuration: configuration, client: client, logger: logger)
        }
    }
}

/// What `skiff dns` and `skiff up` share: what the server answers.
struct DNSOptions: ParsableArguments {
    @Option(help: "The cluster domain.")
    var clusterDomain = "cluster.local"

    @Option(help: "Seconds clients may cache answers.")
    var dnsTTL: UInt32 = 30

    @Option(help: "The resolv.conf naming the resolvers other names are forwarded to (\"\": none, they are refused).")
    var upstreamResolvConf = "/etc/resolv.conf"

    @Option(help: "The ClusterIP of the kube-dns Service (the tenth address of the service range).")
    var serviceIP = "10.96.0.10"

    func validate() throws {
        guard DNSName(clusterDomain) != nil, !clusterDomain.isEmpty else { throw ValidationError("--cluster-domain is not a domain name") }
    }

    /// The server's configuration, listening on `host:port`.
    func configuration(host: String, port: Int) -> ClusterDNS.Configuration {
        var configuration = ClusterDNS.Configuration()
        configuration.resolver.domain = DNSName(clusterDomain) ?? configuration.resolver.domain
        configuration.resolver.ttl = dnsTTL
        configuration.server.host = host
        configuration.server.port = port
        configuration.upstreamResolvConf = upstreamResolvConf
        return configuration
    }
}
