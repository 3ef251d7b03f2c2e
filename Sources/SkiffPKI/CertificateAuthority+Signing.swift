import Foundation
import X509

extension CertificateAuthority {
    /// Signs `request` for `duration` with the key usages `usages` (kube-controller-manager's
    /// local signer): the subject and alternative names come from the request, the usages from
    /// the API object, the extensions are otherwise the signer's own, and the certificate is not
    /// a CA. It is dated `backdating` before `now` unless it is short-lived (under 8 hours), and
    /// never outlives this CA.
    public func sign(_ request: CertificateRequest, usages: [String], duration: TimeInterval, now: Date) throws(PKIError) -> Certificate {
        guard request.hasValidSignature else { throw PKIError("the certificate request's signature does not verify") }
        let keyUsages = try KeyUsages(usages)
        let notBefore = now - Self.backdating
        let end = duration < Self.shortLived ? now + duration : notBefore + duration
        do {
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(keyUsages.keyUsage)
                if !keyUsages.extendedKeyUsages.isEmpty { try ExtendedKeyUsage(keyUsages.extendedKeyUsages) }
                AuthorityKeyIdentifier(keyIdentifier: keyPair.certificate.subjectKeyIdentifier)
                if !request.alternativeNames.isEmpty { SubjectAlternativeNames(request.alternativeNames) }
            }
            return try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: request.request.publicKey,
                notValidBefore: max(notBefore, keyPair.certificate.notValidBefore), notValidAfter: min(end, keyPair.certificate.notValidAfter),
                issuer: keyPair.certificate.subject, subject: request.request.subject, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: extensions, issuerPrivateKey: .init(keyPair.privateKey))
        } catch {
            throw PKIError("cannot sign the certificate request: \(error)")
        }
    }

    /// Certificates valid for less than this are not backdated at their end (upstream's `Short`).
    static let shortLived: TimeInterval = 8 * 3600
}
