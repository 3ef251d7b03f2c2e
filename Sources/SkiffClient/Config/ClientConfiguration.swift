import SkiffAPI

/// Everything a client needs to reach one API server (client-go's `rest.Config`): where it is,
/// how to trust it and authenticate, and how politely to talk to it.
///
/// Build one from kubeconfig files (`ClientConfiguration.load`), from inside a pod
/// (`ClientConfiguration.inCluster`), or by hand for tests.
public struct ClientConfiguration: Sendable {
    /// The server's base URL, e.g. `https://10.0.0.1:6443` or `http://127.0.0.1:6443`.
    public var server: String
    /// The namespace of the selected context (`default` when it names none).
    public var namespace: String = "default"
    /// PEM bundle of CAs that sign the server's certificate; the system roots when nil.
    public var certificateAuthorityPEM: [UInt8]?
    /// PEM client certificate and key for TLS client authentication.
    public var clientCertificatePEM: [UInt8]?
    public var clientKeyPEM: [UInt8]?
    /// Accept any server certificate (`insecure-skip-tls-verify`).
    public var insecureSkipTLSVerify = false
    /// A bearer token sent with every request.
    public var bearerToken: String?
    /// A file the bearer token is read from (re-read on every request, so rotated tokens work).
    public var bearerTokenFile: String?
    /// Where each request's bearer token comes from (a token renewed before it expires).
    public var bearerTokenSource: (any BearerTokenSource)?
    /// Whom to act as (client-go's `rest.ImpersonationConfig`): sent as `Impersonate-*` headers,
    /// which the server allows only to users holding the `impersonate` verb on them.
    public var impersonate: Impersonation?
    /// Basic authentication.
    public var username: String?
    public var password: String?
    /// Requests per second allowed on average (client-go's default: 5).
    public var qps: Double = 5
    /// Requests allowed in a burst above `qps` (client-go's default: 10).
    public var burst: Int = 10
    /// The `User-Agent` header.
    public var userAgent = "skiff-client/v0.1.0"
    /// Ask for Kubernetes protobuf (`application/vnd.kubernetes.protobuf, application/json`) when
    /// reading built-in kinds through typed clients, as client-go's components do; custom
    /// resources and unstructured clients stay JSON. Off by default: the decoder goes through
    /// `JSONValue`, which costs more than JSON (docs/benchmarks.md, `skiff bench wire`).
    public var acceptsProtobuf = false
    /// How long a request (other than a watch) may take in all; nil for no limit.
    public var timeout: Duration? = .seconds(30)
    /// HTTP/1.1 connections kept open to the server at most. Every watch holds one for as long
    /// as it runs, so a program watching many resources (a controller manager) needs more than
    /// HTTP clients usually allow; Go's transport sets no limit.
    public var maxConnectionsPerHost = 256
    /// Where requests are logged and at which verbosity (`kubectl -v N`'s levels); by default
    /// standard error at the verbosity `SKIFF_CLIENT_VERBOSITY` names (0: nothing).
    public var requestLog = RequestLog.standardError(
        verbosity: ClientConfiguration.environmentVerbosity(), source: ClientConfiguration.requestLogSource)

    public init(server: String) {
        self.server = server
    }
}
