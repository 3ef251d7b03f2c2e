import Crypto
import Foundation
import SwiftASN1
import X509

/// The cluster's certificate authority: a self-signed CA that issues the serving and client
/// certificates (kubeadm's `ca.crt`; CA for ten years, leaves for one, as kubeadm).
public struct CertificateAuthority: Sendable {
    /// How long a new CA is valid.
    public static let validity: TimeInterval = 10 * 365 * 24 * 3600
    /// How long an issued certificate is valid.
    public static let leafValidity: TimeInterval = 365 * 24 * 3600
    /// Certificates are dated this much before `now`, for clocks slightly behind ours.
    static let backdating: TimeInterval = 5 * 60

    public let keyPair: KeyPair

    public init(keyPair: KeyPair) {
        self.keyPair = keyPair
    }

    /// A new self-signed CA named `commonName`, valid from `now`.
    public static func create(commonName: String, now: Date) throws(PKIError) -> CertificateAuthority {
        let key = P256.Signing.PrivateKey()
        do {
            let name = try DistinguishedName { CommonName(commonName) }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
                notValidBefore: now - backdating, notValidAfter: now + validity,
                issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                    Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
                    SubjectKeyIdentifier(hash: .init(key.publicKey))
                },
                issuerPrivateKey: .init(key))
            return CertificateAuthority(keyPair: KeyPair(certificate: certificate, privateKey: key))
        } catch {
            throw PKIError("cannot create the CA certificate: \(error)")
        }
    }

    /// A new certificate and key as `profile` says, signed by this CA, valid from `now`.
    public func issue(_ profile: CertificateProfile, now: Date) throws(PKIError) -> KeyPair {
        let key = P256.Signing.PrivateKey()
        do {
            let subject = try DistinguishedName {
                for organization in profile.organizations { OrganizationName(organization) }
                CommonName(profile.commonName)
            }
            let names = try profile.subjectAlternativeNames()
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([profile.usage == .server ? .serverAuth : .clientAuth])
                AuthorityKeyIdentifier(keyIdentifier: keyPair.certificate.subjectKeyIdentifier)
                if !names.isEmpty { SubjectAlternativeNames(names) }
            }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
                notValidBefore: now - Self.backdating, notValidAfter: min(now + Self.leafValidity, keyPair.certificate.notValidAfter),
                issuer: keyPair.certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: extensions, issuerPrivateKey: .init(keyPair.privateKey))
            return KeyPair(certificate: certificate, privateKey: key)
        } catch let error as PKIError {
            throw error
        } catch {
            throw PKIError("cannot issue the certificate \(profile.name): \(error)")
        }
    }

    /// Whether `certificate` was signed by this CA's key.
    public func signed(_ certificate: Certificate) -> Bool {
        certificate.issuer == keyPair.certificate.subject
            && keyPair.certificate.publicKey.isValidSignature(certificate.signature, for: certificate)
    }
}

extension Certificate {
    /// The subject key identifier extension's bytes, or the hash of the key when there is none.
    var subjectKeyIdentifier: ArraySlice<UInt8> {
        if let identifier = try? extensions.subjectKeyIdentifier { return identifier.keyIdentifier }
        return SubjectKeyIdentifier(hash: publicKey).keyIdentifier
    }
}

extension CertificateProfile {
    /// The DNS and IP names of the profile as X.509 general names.
    func subjectAlternativeNames() throws(PKIError) -> [GeneralName] {
        var names = dnsNames.map { GeneralName.dnsName($0) }
        for address in ipAddresses {
            guard let bytes = IPAddressBytes.parse(address) else { throw PKIError("not an IP address: \(address)") }
            names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
        }
        return names
    }
}
