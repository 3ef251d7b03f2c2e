import Foundation
import SkiffAPI
import SkiffRegistry

/// Authenticates bootstrap tokens (upstream's `--enable-bootstrap-token-auth`): a bearer token
/// `ID.SECRET` whose Secret `kube-system/bootstrap-token-ID` is of type
/// `bootstrap.kubernetes.io/token`, holds the same `token-id` and `token-secret`, is not being
/// deleted, has not passed its `expiration` and allows `usage-bootstrap-authentication`. The
/// user is `system:bootstrap:ID` in `system:bootstrappers` and the valid groups of
/// `auth-extra-groups`. A token in the format that fails any check is refused (`401`), as
/// upstream's bearer token authenticator refuses a token nobody accepts.
struct BootstrapTokenAuthenticator: Authenticator {
    let registry: Registry
    let clock: any TimestampClock

    func authenticate(_ request: HTTPRequest) async throws -> UserInfo? {
        guard let text = BearerToken.of(request), let token = BootstrapToken(text) else { return nil }
        guard let secret = await registry.coreObject("secrets", namespace: "kube-system", name: token.secretName) else {
            throw AuthenticationError.refused("secret kube-system/\(token.secretName) not found")
        }
        let data = secret["data"]?.objectValue ?? [:]
        func value(_ key: String) -> String? {
            data[key]?.stringValue.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
        }
        guard secret["type"]?.stringValue == BootstrapToken.secretType, secret.deletionTimestamp == nil,
            value("token-id") == token.id, let stored = value("token-secret"), Self.constantTimeEqual(stored, token.secret)
        else { throw AuthenticationError.refused("bootstrap token \(token.id) does not match its secret") }
        if let expiration = value("expiration") {
            guard let expiry = Timestamp(rfc3339: expiration), clock.now < expiry else {
                throw AuthenticationError.refused("bootstrap token \(token.id) has expired")
            }
        }
        guard value("usage-bootstrap-authentication") == "true" else {
            throw AuthenticationError.refused("bootstrap token \(token.id) may not be used for authentication")
        }
        let extra = value("auth-extra-groups").map { $0.split(separator: ",").map(String.init) } ?? []
        guard extra.allSatisfy(BootstrapToken.isValidExtraGroup) else {
            throw AuthenticationError.refused("bootstrap token \(token.id) has invalid extra groups")
        }
        return UserInfo(name: token.userName, groups: [BootstrapToken.group] + extra + [UserInfo.allAuthenticated])
    }

    /// Compares without stopping at the first difference.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
