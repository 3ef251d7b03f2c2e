import Foundation
import SkiffAPI
import SkiffPKI
import X509

/// Authenticates a request by the client certificate of its TLS connection (upstream's
/// `x509.Authenticator` with `CommonNameUserConversion`): the subject's common name is the user,
/// its organizations the groups, plus `system:authenticated`.
///
/// The TLS handshake already verified the certificate against the client CA; this checks it
/// again (signed by a CA of the bundle, valid now, usable for client authentication), so that
/// a bad certificate gets `401` whatever the transport let through. A client presents the same
/// certificate with each of its requests: its signature and key usage are checked on the first
/// (a signature check costs more than serving a read), its validity period on every one.
public struct X509Authenticator: Authenticator {
    let authorities: [Certificate]
    let clock: any TimestampClock
    private let verified = VerifiedCertificates()

    /// An authenticator trusting the CAs of `clientCAPEM` (a PEM bundle).
    public init(clientCAPEM: String, clock: any TimestampClock = SystemClock()) throws {
        authorities = try CertificateBundle.parse(clientCAPEM)
        self.clock = clock
    }

    public func authenticate(_ request: HTTPRequest) async throws -> UserInfo? {
        guard let certificate = request.clientCertificate else { return nil }
        let now = Date(timeIntervalSince1970: TimeInterval(clock.now.seconds))
        guard certificate.notValidBefore <= now, now < certificate.notValidAfter else {
            throw X509AuthenticationError("x509: certificate has expired or is not yet valid")
        }
        if !verified.contains(certificate) {
            guard authorities.contains(where: { $0.subject == certificate.issuer && $0.publicKey.isValidSignature(certificate.signature, for: certificate) }) else {
                throw X509AuthenticationError("x509: certificate signed by unknown authority")
            }
            if let usages = try certificate.extensions.extendedKeyUsage, !usages.contains(.clientAuth), !usages.contains(.any) {
                throw X509AuthenticationError("x509: certificate specifies an incompatible key usage")
            }
            verified.insert(certificate)
        }
        let identity = CertificateIdentity(certificate)
        guard !identity.commonName.isEmpty else { return nil }
        return UserInfo(name: identity.commonName, groups: identity.organizations + [UserInfo.allAuthenticated])
    }
}

/// Why a client certificate was refused (Go's `x509` verification messages).
struct X509AuthenticationError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
