import NIOSSL

extension ClientConfiguration {
    /// The TLS settings for an `https` server: the CA bundle (or the system roots), the client
    /// certificate and key, verification switched off when `insecureSkipTLSVerify`.
    public func makeTLSConfiguration() throws(ConfigurationError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            if insecureSkipTLSVerify {
                tls.certificateVerification = .none
            } else if let certificateAuthorityPEM {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(certificateAuthorityPEM))
            }
            switch (clientCertificatePEM, clientKeyPEM) {
            case (let certificate?, let key?):
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
            case (nil, nil):
                break
            default:
                throw ConfigurationError("a client certificate needs a client key, and a key a certificate")
            }
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError("invalid TLS credentials: \(error)")
        }
        return tls
    }
}
