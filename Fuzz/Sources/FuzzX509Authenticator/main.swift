import Crypto
import Foundation
import FuzzSupport
import SkiffAPI
import SkiffAPIServer
import SkiffPKI
import SwiftASN1
import X509

/// The cluster CA the authenticator trusts, and a client certificate it issued.
struct Fixture: Sendable {
    let authority: CertificateAuthority
    let admin: KeyPair
    let authenticator: X509Authenticator
    let now: Date

    init() throws {
        now = Date()
        authority = try CertificateAuthority.create(commonName: "kubernetes", now: now)
        admin = try authority.issue(.init(name: "admin", commonName: "kubernetes-admin", organizations: ["system:masters"], usage: .client), now: now)
        authenticator = try X509Authenticator(clientCAPEM: authority.keyPair.certificatePEM())
    }

    /// A client certificate for `subject` signed by the CA, as a CSR signer would issue it.
    func issue(subject: DistinguishedName) throws -> Certificate {
        let key = P256.Signing.PrivateKey()
        return try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now - 60, notValidAfter: now + 3600, issuer: authority.keyPair.certificate.subject, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: try Certificate.Extensions { try ExtendedKeyUsage([.clientAuth]) },
            issuerPrivateKey: .init(authority.keyPair.privateKey))
    }
}

extension Fixture {
    /// Made on first use (top-level code of `main.swift` never runs: libFuzzer brings `main`).
    static let shared = try! Fixture()
}

/// What the authenticator makes of `certificate` presented by a client of `authenticator`.
func authenticate(_ certificate: Certificate, with authenticator: X509Authenticator) -> UserInfo? {
    runBlocking {
        var request = HTTPRequest(method: .GET, uri: "/api", headers: [:], body: [])
        request.clientCertificate = certificate
        return try? await authenticator.authenticate(request)
    }
}

/// libFuzzer's entry: the first byte picks what the rest is. 0: a certificate's DER, presented
/// as the client's. 1: a PEM bundle, read as presented certificates and as a client CA bundle.
/// 2: the DER of a subject name, issued by the CA and presented. Refusals are fine; a crash is
/// not, nor a user for a certificate the CA did not sign.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzX509Authenticator(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let fixture = Fixture.shared
    let rest = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch data[0] % 3 {
    case 0:
        guard let certificate = try? Certificate(derEncoded: rest) else { return 0 }
        if authenticate(certificate, with: fixture.authenticator) != nil {
            invariant(fixture.authority.signed(certificate), "a certificate the CA did not sign authenticated")
        }
    case 1:
        let pem = String(decoding: rest, as: UTF8.self)
        for certificate in (try? CertificateBundle.parse(pem)) ?? [] {
            if authenticate(certificate, with: fixture.authenticator) != nil {
                invariant(fixture.authority.signed(certificate), "a certificate the CA did not sign authenticated")
            }
        }
        if let authenticator = try? X509Authenticator(clientCAPEM: pem) { _ = authenticate(fixture.admin.certificate, with: authenticator) }
    default:
        guard let subject = try? DistinguishedName(derEncoded: DER.parse(rest)), let certificate = try? fixture.issue(subject: subject) else { return 0 }
        if let user = authenticate(certificate, with: fixture.authenticator) {
            invariant(user.name == CertificateIdentity(subject: subject).commonName && !user.name.isEmpty, "\(subject) authenticated as \(user)")
        }
    }
    return 0
}
