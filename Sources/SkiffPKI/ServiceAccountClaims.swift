import JWTKit

/// The claims of a service account token, as upstream's `serviceaccount` package writes them.
///
/// Bound tokens (the TokenRequest API) carry `iss`, `sub`, `aud`, `exp`, `iat`, `nbf`, `jti` and
/// the private claim `kubernetes.io`; legacy tokens (Secrets of type
/// `kubernetes.io/service-account-token`) carry `iss: kubernetes/serviceaccount`, `sub` and the
/// `kubernetes.io/serviceaccount/*` claims, without audience or expiry.
public struct ServiceAccountClaims: JWTPayload, Equatable {
    /// The issuer of legacy tokens.
    public static let legacyIssuer = "kubernetes/serviceaccount"

    public var issuer: String
    /// `system:serviceaccount:NAMESPACE:NAME`.
    public var subject: String
    public var audiences: [String]?
    /// Seconds since the epoch.
    public var expiresAt: Int64?
    public var issuedAt: Int64?
    public var notBefore: Int64?
    /// The token's unique id (upstream's credential id).
    public var id: String?
    /// What a bound token is bound to.
    public var kubernetes: Private?
    /// The legacy claims.
    public var legacyNamespace: String?
    public var legacySecretName: String?
    public var legacyServiceAccountName: String?
    public var legacyServiceAccountUID: String?

    /// The private claim `kubernetes.io` of bound tokens.
    public struct Private: Codable, Sendable, Equatable {
        public var namespace: String
        public var serviceAccount: Reference
        public var pod: Reference?
        public var secret: Reference?
        public var node: Reference?
        /// When a client should refresh a token whose lifetime the server extended.
        public var warnAfter: Int64?

        public init(namespace: String, serviceAccount: Reference, pod: Reference? = nil, secret: Reference? = nil,
                    node: Reference? = nil, warnAfter: Int64? = nil) {
            self.namespace = namespace
            self.serviceAccount = serviceAccount
            self.pod = pod
            self.secret = secret
            self.node = node
            self.warnAfter = warnAfter
        }

        enum CodingKeys: String, CodingKey {
            case namespace, pod, secret, node
            case serviceAccount = "serviceaccount"
            case warnAfter = "warnafter"
        }
    }

    /// An object a claim names.
    public struct Reference: Codable, Sendable, Equatable {
        public var name: String
        public var uid: String

        public init(name: String, uid: String) {
            self.name = name
            self.uid = uid
        }
    }

    /// A bound token's claims.
    public init(issuer: String, audiences: [String], issuedAt: Int64, expiresAt: Int64, id: String, kubernetes: Private) {
        self.issuer = issuer
        self.subject = Self.subject(namespace: kubernetes.namespace, name: kubernetes.serviceAccount.name)
        self.audiences = audiences
        self.issuedAt = issuedAt
        self.notBefore = issuedAt
        self.expiresAt = expiresAt
        self.id = id
        self.kubernetes = kubernetes
    }

    /// A legacy token's claims for the service account `name` (`uid`) and its token secret.
    public init(legacyNamespace namespace: String, serviceAccountName name: String, serviceAccountUID uid: String, secretName: String) {
        issuer = Self.legacyIssuer
        subject = Self.subject(namespace: namespace, name: name)
        legacyNamespace = namespace
        legacySecretName = secretName
        legacyServiceAccountName = name
        legacyServiceAccountUID = uid
    }

    /// The user name of a service account.
    public static func subject(namespace: String, name: String) -> String {
        "system:serviceaccount:\(namespace):\(name)"
    }

    /// Claims are checked by `ServiceAccountTokenAuthenticator` against its clock and the
    /// objects they name, not here.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}

    enum CodingKeys: String, CodingKey {
        case issuer = "iss", subject = "sub", audiences = "aud", expiresAt = "exp", issuedAt = "iat", notBefore = "nbf", id = "jti"
        case kubernetes = "kubernetes.io"
        case legacyNamespace = "kubernetes.io/serviceaccount/namespace"
        case legacySecretName = "kubernetes.io/serviceaccount/secret.name"
        case legacyServiceAccountName = "kubernetes.io/serviceaccount/service-account.name"
        case legacyServiceAccountUID = "kubernetes.io/serviceaccount/service-account.uid"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        issuer = try container.decode(String.self, forKey: .issuer)
        subject = try container.decodeIfPresent(String.self, forKey: .subject) ?? ""
        // `aud` is a string or a list of strings (RFC 7519).
        if let single = try? container.decodeIfPresent(String.self, forKey: .audiences) {
            audiences = [single]
        } else {
            audiences = try container.decodeIfPresent([String].self, forKey: .audiences)
        }
        expiresAt = try container.decodeIfPresent(Int64.self, forKey: .expiresAt)
        issuedAt = try container.decodeIfPresent(Int64.self, forKey: .issuedAt)
        notBefore = try container.decodeIfPresent(Int64.self, forKey: .notBefore)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        kubernetes = try container.decodeIfPresent(Private.self, forKey: .kubernetes)
        legacyNamespace = try container.decodeIfPresent(String.self, forKey: .legacyNamespace)
        legacySecretName = try container.decodeIfPresent(String.self, forKey: .legacySecretName)
        legacyServiceAccountName = try container.decodeIfPresent(String.self, forKey: .legacyServiceAccountName)
        legacyServiceAccountUID = try container.decodeIfPresent(String.self, forKey: .legacyServiceAccountUID)
    }
}
