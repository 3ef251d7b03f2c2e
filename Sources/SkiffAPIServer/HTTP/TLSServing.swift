import NIOSSL

/// What an HTTPS server presents and whom it trusts: its certificate chain and key, and the CA
/// bundle that signs client certificates (upstream's `--tls-cert-file`, `--tls-private-key-file`,
/// `--client-ca-file`). A client certificate is requested but optional: one presented must
/// verify against the client CA, and a request without one goes to the other authenticators.
public struct TLSServing: Sendable {
    /// The PEM certificate chain, the server's certificate first.
    public var certificateChainPEM: [UInt8]
    /// The PEM private key of the certificate.
    public var privateKeyPEM: [UInt8]
    /// The PEM bundle of CAs whose client certificates are accepted; nil requests none.
    public var clientCAPEM: [UInt8]?

    public init(certificateChainPEM: [UInt8], privateKeyPEM: [UInt8], clientCAPEM: [UInt8]?) {
        self.certificateChainPEM = certificateChainPEM
        self.privateKeyPEM = privateKeyPEM
        self.clientCAPEM = clientCAPEM
    }

    /// The server's TLS settings: TLS 1.2 or 1.3, ALPN offering `h2` (when `http2`) and `http/1.1`.
    func makeConfiguration(http2: Bool) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(certificateChainPEM).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: privateKeyPEM, format: .pem)))
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = http2 ? ["h2", "http/1.1"] : ["http/1.1"]
        if let clientCAPEM {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(clientCAPEM))
            configuration.certificateVerification = .optionalVerification
            configuration.sendCANameList = true
        }
        return configuration
    }
}
