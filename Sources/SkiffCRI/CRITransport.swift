import GRPCCore
import GRPCNIOTransportHTTP2

/// How the kubelet reaches a CRI runtime: gRPC over the Unix socket the
/// `--container-runtime-endpoint` names, with upstream's kubelet limits.
enum CRITransport {
    /// The socket path of an endpoint: `unix:///run/containerd/containerd.sock` (upstream's
    /// form) or a bare path; other schemes are refused.
    static func socketPath(_ endpoint: String) throws -> String {
        if endpoint.hasPrefix("unix://") { return String(endpoint.dropFirst("unix://".count)) }
        if endpoint.hasPrefix("/") { return endpoint }
        throw RPCError(code: .invalidArgument, message: "protocol \"\(endpoint.split(separator: ":").first ?? "")\" not supported")
    }

    /// A plaintext HTTP/2 transport to the socket.
    static func transport(socketPath: String) throws -> HTTP2ClientTransport.Posix {
        try HTTP2ClientTransport.Posix(target: .unixDomainSocket(path: socketPath), transportSecurity: .plaintext)
    }

    /// Upstream's kubelet limits: messages up to 16 MiB, each call done within the runtime
    /// request timeout (2 minutes, `--runtime-request-timeout`) unless `timeout` is nil (image
    /// pulls, which take as long as the registry does).
    static func callOptions(timeout: Duration? = .seconds(120)) -> CallOptions {
        var options = CallOptions.defaults
        options.maxRequestMessageBytes = 16 << 20
        options.maxResponseMessageBytes = 16 << 20
        options.timeout = timeout
        return options
    }
}
