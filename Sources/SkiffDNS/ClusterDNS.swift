import Foundation
import Logging
import ServiceLifecycle
import SkiffClient

/// The cluster's DNS add-on as one `Service`: informers over Services, EndpointSlices and
/// Namespaces, a `DNSServer` answering from them once they have synced, the host's resolvers for
/// other names, and (if asked) the `kube-system/kube-dns` Service pointing at the server.
public struct ClusterDNS: Service {
    public struct Configuration: Sendable {
        /// What is answered and how.
        public var resolver = ClusterResolver.Configuration()
        /// Where the server listens.
        public var server = DNSServer.Configuration()
        /// The `kube-dns` Service to keep (nil: leave it alone), its endpoint the given address.
        public var service: KubeDNSService.Configuration?
        /// The resolv.conf naming the upstream resolvers ("": none, other names are REFUSED).
        public var upstreamResolvConf = "/etc/resolv.conf"
        /// Listen on any free port when the configured one cannot be bound (another cluster's DNS,
        /// or no privilege for port 53); the Service's target port follows.
        public var anyPortIfTaken = false

        public init() {}
    }

    let configuration: Configuration
    let client: KubernetesClient
    let logger: Logger

    public init(configuration: Configuration, client: KubernetesClient, logger: Logger) {
        self.configuration = configuration
        self.client = client
        self.logger = logger
    }

    public func run() async throws {
        let directory = InformerDirectory(client: client, logger: logger)
        let handler = DNSQueryHandler(resolver: ClusterResolver(directory: directory, configuration: configuration.resolver), forwarder: forwarder())
        let (client, logger, service) = (self.client, self.logger, configuration.service)
        func server(port: Int) -> DNSServer {
            var listen = configuration.server
            listen.port = port
            return DNSServer(configuration: listen, handler: handler, logger: logger) { port in
                guard var service else { return }
                service.port = Int32(port)
                do {
                    try await KubeDNSService(configuration: service, client: client).ensure()
                } catch {
                    // The server still answers whoever knows its address.
                    logger.error("cannot write the kube-dns Service", metadata: ["error": "\(error)"])
                }
            }
        }
        let (port, anyPortIfTaken) = (configuration.server.port, configuration.anyPortIfTaken)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await cancelWhenGracefulShutdown { await directory.run() } }
            guard await cancelWhenGracefulShutdown({ await directory.waitForCacheSync() }) else { return }
            var dns = server(port: port)
            let sockets: DNSServer.Sockets
            do {
                sockets = try await dns.bind()
            } catch let error where anyPortIfTaken && port != 0 {
                logger.warning("cannot listen on the DNS port, using any free one", metadata: ["port": "\(port)", "error": "\(error)"])
                dns = server(port: 0)
                sockets = try await dns.bind()
            }
            try await dns.serve(sockets)
            group.cancelAll()
        }
    }

    private func forwarder() -> UpstreamForwarder? {
        guard !configuration.upstreamResolvConf.isEmpty,
            let text = try? String(contentsOfFile: configuration.upstreamResolvConf, encoding: .utf8)
        else { return nil }
        let servers = ResolvConf(parsing: text).nameservers
        return servers.isEmpty ? nil : UpstreamForwarder(nameservers: servers)
    }
}
