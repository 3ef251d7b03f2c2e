import Crypto
import Foundation
import SkiffPKI
import Testing
import X509

/// The CSR signer's half in SkiffPKI: parsing requests, each built-in signer's rules (upstream's
/// messages), and the certificates the CA signs for them.
struct CertificateSigningTests {
    let now = Date(timeIntervalSince1970: 1_780_000_000)

    func authority() throws -> CertificateAuthority {
        try CertificateAuthority.create(commonName: "kubernetes", now: now - 3600)
    }

    /// A PEM request for `commonName` in `organizations`, asking for `dnsNames`.
    func request(_ commonName: String, organizations: [String] = [], dnsNames: [String] = []) throws -> CertificateRequest {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            for organization in organizations { OrganizationName(organization) }
            CommonName(commonName)
        }
        var attributes = CertificateSigningRequest.Attributes()
        if !dnsNames.isEmpty {
            let extensions = try Certificate.Extensions { SubjectAlternativeNames(dnsNames.map { .dnsName($0) }) }
            attributes = CertificateSigningRequest.Attributes([try .init(ExtensionRequest(extensions: extensions))])
        }
        let csr = try CertificateSigningRequest(
            version: .v1, subject: subject, privateKey: .init(key), attributes: attributes, signatureAlgorithm: .ecdsaWithSHA256)
        return try CertificateRequest(pem: try csr.serializeAsPEM().pemString)
    }

    @Test func aClientRequestIsSignedWithItsSubjectAndTheAskedUsages() throws {
        let ca = try authority()
        let request = try request("jane", organizations: ["dev"])
        let certificate = try ca.sign(request, usages: ["digital signature", "client auth"], duration: 24 * 3600, now: now)
        #expect(CertificateIdentity(certificate) == CertificateIdentity(commonName: "jane", organizations: ["dev"]))
        #expect(ca.signed(certificate))
        #expect(certificate.publicKey == request.request.publicKey)
        #expect(try certificate.extensions.extendedKeyUsage.map(Array.init) == [.clientAuth])
        #expect(try certificate.extensions.keyUsage?.digitalSignature == true)
        #expect(try certificate.extensions.keyUsage?.keyEncipherment == false)
        #expect(try certificate.extensions.basicConstraints == .notCertificateAuthority)
        #expect(certificate.notValidBefore == now - 300, "backdated five minutes")
        #expect(certificate.notValidAfter == now - 300 + 24 * 3600)
    }

    @Test func aShortLivedCertificateEndsItsDurationAfterNow() throws {
        let certificate = try authority().sign(try request("jane"), usages: ["client auth"], duration: 600, now: now)
        #expect(certificate.notValidBefore == now - 300)
        #expect(certificate.notValidAfter == now + 600)
    }

    @Test func noCertificateOutlivesTheCA() throws {
        let ca = try authority()
        let certificate = try ca.sign(try request("jane"), usages: ["client auth"], duration: 20 * 365 * 24 * 3600, now: now)
        #expect(certificate.notValidAfter == ca.keyPair.certificate.notValidAfter)
    }

    @Test func servingRequestsKeepTheirNames() throws {
        let request = try request("system:node:n1", organizations: ["system:nodes"], dnsNames: ["n1.example"])
        try KubernetesSigner.kubeletServing.validate(request, usages: ["digital signature", "server auth"])
        let certificate = try authority().sign(request, usages: ["digital signature", "server auth"], duration: 3600 * 24, now: now)
        #expect(try certificate.extensions.subjectAlternativeNames.map(Array.init) == [.dnsName("n1.example")])
    }

    @Test func eachSignerRefusesWhatUpstreamRefuses() throws {
        let jane = try request("jane")
        let node = try request("system:node:n1", organizations: ["system:nodes"])
        let named = try request("system:node:n1", organizations: ["system:nodes"], dnsNames: ["n1"])
        let cases: [(KubernetesSigner, CertificateRequest, [String], String)] = [
            (.kubeAPIServerClient, jane, ["server auth"], "invalid usage for client certificate: server auth"),
            (.kubeAPIServerClient, jane, ["digital signature"], "missing required usage for client certificate: client auth"),
            (.kubeletClient, jane, ["digital signature", "client auth"], "subject organization is not system:nodes"),
            (.kubeletClient, named, ["digital signature", "client auth"], "DNS subjectAltNames are not allowed"),
            (.kubeletClient, node, ["client auth"], "usages did not match [client auth digital signature key encipherment]"),
            (.kubeletServing, node, ["digital signature", "server auth"], "DNS or IP subjectAltName is required"),
            (.kubeletServing, named, ["server auth"], "usages did not match [digital signature key encipherment server auth]"),
        ]
        for (signer, request, usages, message) in cases {
            #expect(throws: PKIError(message), "\(signer) with \(usages)") { try signer.validate(request, usages: usages) }
        }
        try KubernetesSigner.kubeletClient.validate(node, usages: ["key encipherment", "digital signature", "client auth"])
        try KubernetesSigner.legacyUnknown.validate(jane, usages: ["anything"])
    }

    @Test func badInputIsRefusedWithUpstreamsMessages() throws {
        #expect(throws: PKIError("PEM block type must be CERTIFICATE REQUEST")) { try CertificateRequest(pem: "-----BEGIN CERTIFICATE-----\n") }
        #expect(throws: PKIError("unrecognized usage values: [\"flying\"]")) {
            try authority().sign(try request("jane"), usages: ["client auth", "flying"], duration: 3600, now: now)
        }
    }
}
