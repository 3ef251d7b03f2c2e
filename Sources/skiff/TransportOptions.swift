import ArgumentParser

/// How the API server is reached: HTTPS with the cluster's certificates (the default), or plain
/// HTTP when asked for in so many words.
struct TransportOptions: ParsableArguments {
    @Flag(help: "Serve plain HTTP with no authentication: every client is the superuser system:unsecured.")
    var insecureServing = false

    @Option(help: "Where the cluster's certificates and keys are kept (default: DATA-DIR/pki).")
    var pkiDir: String?

    @Option(name: .customLong("tls-cert-file"), help: "The serving certificate (PEM, chain after it); default: one issued by the cluster CA.")
    var tlsCertFile: String?

    @Option(name: .customLong("tls-private-key-file"), help: "The key of --tls-cert-file (PEM).")
    var tlsPrivateKeyFile: String?

    @Option(name: .customLong("client-ca-file"), help: "The CAs whose client certificates are accepted (PEM); default: the cluster CA.")
    var clientCAFile: String?

    @Option(name: .customLong("tls-san"), help: "An extra DNS name or IP address of the serving certificate (repeatable).")
    var tlsSANs: [String] = []

    func validate() throws {
        if (tlsCertFile == nil) != (tlsPrivateKeyFile == nil) {
            throw ValidationError("--tls-cert-file and --tls-private-key-file go together")
        }
    }
}
