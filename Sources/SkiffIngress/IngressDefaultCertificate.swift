import Foundation
import SkiffPKI

/// The certificate the HTTPS port presents to names no Ingress's TLS section covers (and to
/// clients without SNI), as ingress-nginx's "Kubernetes Ingress Controller Fake Certificate":
/// made at start, for `ingress.local`, issued by a CA made with it and thrown away, so no
/// client trusts it.
struct IngressDefaultCertificate: Sendable {
    static let commonName = "Skiff Ingress Controller Fake Certificate"
    static let dnsName = "ingress.local"

    var certificatePEM: String
    var privateKeyPEM: String

    /// A new certificate, valid from `now`.
    static func make(now: Date) throws(PKIError) -> IngressDefaultCertificate {
        let authority = try CertificateAuthority.create(commonName: "Skiff Ingress Controller Fake CA", now: now)
        let profile = CertificateProfile(name: "ingress-default", commonName: commonName, organizations: ["Skiff"], usage: .server, dnsNames: [dnsName])
        let pair = try authority.issue(profile, now: now)
        return IngressDefaultCertificate(certificatePEM: try pair.certificatePEM(), privateKeyPEM: pair.privateKeyPEM)
    }
}
