/// What one certificate says: who it names, what it may be used for, which names it serves.
///
/// Client certificates carry the user in the common name and the groups as organizations, as the
/// API server's x509 authenticator reads them (`CN=kubernetes-admin, O=system:masters`).
public struct CertificateProfile: Sendable, Equatable {
    /// What the certificate is for: a server (TLS `serverAuth`) or a client (`clientAuth`).
    public enum Usage: Sendable, Equatable {
        case server
        case client
    }

    /// The file stem under the PKI directory: `NAME.crt` and `NAME.key`.
    public var name: String
    public var commonName: String
    public var organizations: [String]
    public var usage: Usage
    /// DNS subject alternative names (servers).
    public var dnsNames: [String]
    /// IP subject alternative names (servers), as text: `127.0.0.1`, `::1`.
    public var ipAddresses: [String]

    public init(
        name: String, commonName: String, organizations: [String] = [], usage: Usage,
        dnsNames: [String] = [], ipAddresses: [String] = []
    ) {
        self.name = name
        self.commonName = commonName
        self.organizations = organizations
        self.usage = usage
        self.dnsNames = dnsNames
        self.ipAddresses = ipAddresses
    }
}
