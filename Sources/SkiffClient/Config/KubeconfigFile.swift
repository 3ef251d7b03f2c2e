/// The kubeconfig document as written: lists of named entries with kebab-case keys.
struct KubeconfigFile: Codable {
    struct ClusterFields: Codable {
        var server: String?
        var certificateAuthority: String?
        var certificateAuthorityData: String?
        var insecureSkipTLSVerify: Bool?

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
        }
    }

    struct UserFields: Codable {
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?
        var token: String?
        var tokenFile: String?
        var username: String?
        var password: String?

        enum CodingKeys: String, CodingKey {
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
            case token, tokenFile, username, password
        }
    }

    struct ContextFields: Codable {
        var cluster: String?
        var user: String?
        var namespace: String?
    }

    struct ClusterEntry: Codable {
        var name: String
        var cluster: ClusterFields?
    }

    struct UserEntry: Codable {
        var name: String
        var user: UserFields?
    }

    struct ContextEntry: Codable {
        var name: String
        var context: ContextFields?
    }

    var apiVersion: String?
    var kind: String?
    var clusters: [ClusterEntry]?
    var users: [UserEntry]?
    var contexts: [ContextEntry]?
    var currentContext: String?

    enum CodingKeys: String, CodingKey {
        case apiVersion, kind, clusters, users, contexts
        case currentContext = "current-context"
    }
}
