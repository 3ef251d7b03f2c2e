import Crypto
import Foundation
import X509

/// A certificate with its private key (ECDSA P-256), as kept in `NAME.crt` and `NAME.key`.
public struct KeyPair: Sendable {
    public var certificate: Certificate
    public var privateKey: P256.Signing.PrivateKey

    public init(certificate: Certificate, privateKey: P256.Signing.PrivateKey) {
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// Reads a pair from PEM text.
    public init(certificatePEM: String, privateKeyPEM: String) throws(PKIError) {
        do {
            certificate = try Certificate(pemEncoded: certificatePEM)
            privateKey = try P256.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        } catch {
            throw PKIError("cannot read the certificate or key: \(error)")
        }
    }

    /// The certificate as PEM text.
    public func certificatePEM() throws(PKIError) -> String {
        do {
            return try certificate.serializeAsPEM().pemString + "\n"
        } catch {
            throw PKIError("cannot encode the certificate: \(error)")
        }
    }

    /// The private key as PEM text (PKCS#8).
    public var privateKeyPEM: String { privateKey.pemRepresentation + "\n" }

    /// Whether the certificate is valid at `date` (between notBefore and notAfter).
    public func isValid(at date: Date) -> Bool {
        certificate.notValidBefore <= date && date < certificate.notValidAfter
    }
}
