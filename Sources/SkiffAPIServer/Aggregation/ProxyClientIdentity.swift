import NIOSSL

/// The client certificate and key (PEM) the aggregator presents to extension servers, upstream's
/// `--proxy-client-cert-file` and `--proxy-client-key-file`; extension servers trust the identity
/// headers of a request only with a certificate of the front-proxy CA.
public struct ProxyClientIdentity: Sendable {
    public var certificatePEM: String
    public var privateKeyPEM: String

    public init(certificatePEM: String, privateKeyPEM: String) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }

    /// Sets the certificate and key as the client identity of `tls`.
    func apply(to tls: inout TLSConfiguration) throws {
        tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem))
    }
}
