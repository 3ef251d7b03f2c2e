import X509

/// A PKCS#10 certificate signing request as the certificates API carries it (`spec.request`,
/// PEM): who it asks to be named, which names it asks for, and whether its signature holds.
public struct CertificateRequest: Sendable {
    public let request: CertificateSigningRequest
    /// The subject's common name and organizations.
    public let identity: CertificateIdentity
    /// The subject alternative names asked for in the request's extension request attribute.
    public let alternativeNames: [GeneralName]

    /// Parses `pem`, which must hold a `CERTIFICATE REQUEST` block (upstream's `ParseCSR`).
    public init(pem: String) throws(PKIError) {
        guard pem.contains("-----BEGIN CERTIFICATE REQUEST-----") else {
            throw PKIError("PEM block type must be CERTIFICATE REQUEST")
        }
        do {
            request = try CertificateSigningRequest(pemEncoded: pem)
            alternativeNames = try request.attributes.extensionRequest?.extensions.subjectAlternativeNames.map(Array.init) ?? []
        } catch {
            throw PKIError("\(error)")
        }
        identity = CertificateIdentity(subject: request.subject)
    }

    /// Whether the request is signed by the key it carries (proof of possession).
    public var hasValidSignature: Bool {
        request.publicKey.isValidSignature(request.signature, for: request)
    }

    public var dnsNames: [String] {
        alternativeNames.compactMap { if case .dnsName(let name) = $0 { name } else { nil } }
    }

    public var ipAddressCount: Int {
        alternativeNames.count { if case .ipAddress = $0 { true } else { false } }
    }

    public var emailAddressCount: Int {
        alternativeNames.count { if case .rfc822Name = $0 { true } else { false } }
    }

    public var uriCount: Int {
        alternativeNames.count { if case .uniformResourceIdentifier = $0 { true } else { false } }
    }
}
