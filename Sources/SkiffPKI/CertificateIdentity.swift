import X509

/// Who a certificate names: the subject's common name and organizations (the user and groups of
/// a client certificate, upstream's `CommonNameUserConversion`).
public struct CertificateIdentity: Sendable, Equatable {
    public var commonName: String
    public var organizations: [String]

    public init(commonName: String, organizations: [String]) {
        self.commonName = commonName
        self.organizations = organizations
    }

    public init(_ certificate: Certificate) {
        self.init(subject: certificate.subject)
    }

    /// The common name and organizations of `subject` (a certificate's or a signing request's).
    public init(subject: DistinguishedName) {
        var commonName = ""
        var organizations: [String] = []
        for relativeName in subject {
            for attribute in relativeName {
                switch attribute.type {
                case .RDNAttributeType.commonName: commonName = String(attribute.value) ?? ""
                case .RDNAttributeType.organizationName: organizations.append(String(attribute.value) ?? "")
                default: break
                }
            }
        }
        self.commonName = commonName
        self.organizations = organizations
    }
}
