import GRPCCore
import GRPCNIOTransportHTTP2
import NIOCore

/// How the gRPC client reaches the etcd members.
enum EtcdTransport {
    /// IPv4 members (and `localhost`) as one target the client fails over within; otherwise the
    /// first member by DNS name.
    static func target(_ endpoints: [EtcdConfiguration.Endpoint]) -> any ResolvableTarget {
        let pairs = endpoints.map { (host: $0.host == "localhost" ? "127.0.0.1" : $0.host, port: $0.port) }
        if pairs.allSatisfy({ isIPv4($0.host) }) { return ResolvableTargets.IPv4.ipv4(pairs: pairs) }
        return ResolvableTargets.DNS.dns(host: endpoints[0].host, port: endpoints[0].port)
    }

    /// Round robin over the members, as etcd's own client balances: every member stays connected
    /// and each request goes to a ready one, so a killed member (the leader, say) costs the
    /// requests in flight on it, not the requests after it. With pick-first the client stayed on
    /// the dead member, failing every request until it came back.
    static var serviceConfig: ServiceConfig {
        ServiceConfig(loadBalancingConfig: [.roundRobin])
    }

    /// Call options with messages of any size up to 2 GiB, as etcd's clientv3 receives by
    /// default: gRPC's 4 MiB default made the range of a resource holding more than 4 MiB (the
    /// watch cache's load of a few thousand objects) fail for good. The transport checks
    /// responses against the request limit too, so both are raised; etcd's own request limit
    /// (1.5 MiB) still refuses big writes.
    static var callOptions: CallOptions {
        var options = CallOptions.defaults
        options.maxRequestMessageBytes = Int(Int32.max)
        options.maxResponseMessageBytes = Int(Int32.max)
        options.waitForReady = false
        return options
    }

    /// Reconnects quickly once etcd is back (at most 5 seconds apart instead of gRPC's 2 minutes);
    /// etcd's PINGs are answered by `HTTP2PingResponder` (without it the connection closes itself
    /// after 200 of them in 30 seconds).
    static var config: HTTP2ClientTransport.Posix.Config {
        .defaults { config in
            config.backoff.max = .seconds(5)
            config.channelDebuggingCallbacks.onCreateTCPConnection = { channel in
                channel.eventLoop.makeCompletedFuture { try HTTP2PingResponder.install(on: channel) }
            }
        }
    }

    static func security(_ tls: EtcdConfiguration.TLSFiles?) -> HTTP2ClientTransport.Posix.TransportSecurity {
        guard let tls else { return .plaintext }
        return .tls { config in
            if let caFile = tls.caFile { config.trustRoots = .certificates([.file(path: caFile, format: .pem)]) }
            if let certFile = tls.certFile, let keyFile = tls.keyFile {
                config.certificateChain = [.file(path: certFile, format: .pem)]
                config.privateKey = .file(path: keyFile, format: .pem)
            }
        }
    }

    private static func isIPv4(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }
}
