import SkiffPKI

/// What the API server issues service account tokens with (upstream's
/// `--service-account-issuer`, `--service-account-signing-key-file`, `--service-account-key-file`,
/// `--api-audiences`, `--service-account-max-token-expiration`,
/// `--service-account-extend-token-expiration`).
public struct ServiceAccountIssuer: Sendable {
    /// Upstream's default issuer in kubeadm clusters.
    public static let defaultIssuer = "https://kubernetes.default.svc.cluster.local"
    /// The lifetime a TokenRequest gets when it names none (an hour).
    public static let defaultExpirationSeconds: Int64 = 3600
    /// The shortest lifetime a TokenRequest may ask for (ten minutes).
    public static let minimumExpirationSeconds: Int64 = 600
    /// The lifetime the kubelet asks for; a pod-bound request for it is extended to a year when
    /// `extendExpiration` is on, with `warnafter` at the asked lifetime (upstream's
    /// `WarnOnlyBoundTokenExpirationSeconds`).
    public static let kubeletExpirationSeconds: Int64 = 3607
    /// The extended lifetime (upstream's `ExpirationExtensionSeconds`, a year).
    public static let extendedExpirationSeconds: Int64 = 365 * 24 * 3600

    public var signer: ServiceAccountTokenSigner
    /// The `iss` of new tokens; tokens from it (and legacy ones) are accepted.
    public var issuer: String
    /// The audiences the API server identifies itself with; a bound token must name one.
    /// Empty means the issuer (as upstream).
    public var apiAudiences: [String]
    /// The longest lifetime a TokenRequest gets; nil: no limit.
    public var maxExpirationSeconds: Int64?
    /// Whether kubelet-style pod-bound requests get a year (upstream's default: on).
    public var extendExpiration: Bool

    public init(signer: ServiceAccountTokenSigner, issuer: String = Self.defaultIssuer, apiAudiences: [String] = [],
                maxExpirationSeconds: Int64? = nil, extendExpiration: Bool = true) {
        self.signer = signer
        self.issuer = issuer
        self.apiAudiences = apiAudiences
        self.maxExpirationSeconds = maxExpirationSeconds
        self.extendExpiration = extendExpiration
    }

    /// The audiences tokens must name to reach the API server.
    public var audiences: [String] { apiAudiences.isEmpty ? [issuer] : apiAudiences }
}
