import Foundation
import SkiffAPI
import SkiffPKI
import SkiffRegistry

/// Authenticates service account JWTs (upstream's `serviceaccount.JWTTokenAuthenticator` with
/// its validators): a token whose issuer is not ours is left to the other authenticators; one of
/// ours must be signed by our keys, name one of the API audiences, be within its `nbf`/`exp`, and
/// name a service account (same uid) and bound pod, secret or node (same uid, not being deleted)
/// that still exist. Legacy tokens must match their Secret's `token`. The objects are read
/// from the registry's watch caches (storage only when a cache has not seen them).
struct ServiceAccountTokenAuthenticator: Authenticator {
    let issuer: ServiceAccountIssuer
    let registry: Registry
    let clock: any TimestampClock

    /// The user of a service account with `extra` (`authentication.kubernetes.io/*`).
    static func user(namespace: String, name: String, uid: String, extra: [String: [String]] = [:]) -> UserInfo {
        UserInfo(name: ServiceAccountClaims.subject(namespace: namespace, name: name), uid: uid,
                 groups: UserInfo.serviceAccountGroups(namespace: namespace) + [UserInfo.allAuthenticated], extra: extra)
    }

    func authenticate(_ request: HTTPRequest) async throws -> UserInfo? {
        guard let token = BearerToken.of(request), token.split(separator: ".", omittingEmptySubsequences: false).count == 3,
            let unverified = await issuer.signer.unverifiedClaims(token),
            unverified.issuer == issuer.issuer || unverified.issuer == ServiceAccountClaims.legacyIssuer
        else { return nil }
        let claims: ServiceAccountClaims
        do {
            claims = try await issuer.signer.verify(token)
        } catch {
            throw AuthenticationError.refused("invalid signature")
        }
        if claims.issuer == ServiceAccountClaims.legacyIssuer { return try await legacyUser(claims, token: token) }
        return try await boundUser(claims)
    }

    private func boundUser(_ claims: ServiceAccountClaims) async throws -> UserInfo {
        guard let bound = claims.kubernetes else { throw AuthenticationError.refused("service account token claims could not be found") }
        let now = clock.now.seconds
        guard let expiry = claims.expiresAt, now < expiry else { throw AuthenticationError.refused("service account token has expired") }
        if let notBefore = claims.notBefore, now < notBefore { throw AuthenticationError.refused("service account token is not valid yet") }
        guard Set(claims.audiences ?? []).intersection(issuer.audiences).isEmpty == false else {
            throw AuthenticationError.refused("token audiences \(claims.audiences ?? []) is invalid for the target audiences \(issuer.audiences)")
        }
        let namespace = bound.namespace
        try await requireLive("serviceaccounts", namespace: namespace, reference: bound.serviceAccount)
        var extra: [String: [String]] = [:]
        if let pod = bound.pod {
            try await requireLive("pods", namespace: namespace, reference: pod)
            extra["authentication.kubernetes.io/pod-name"] = [pod.name]
            extra["authentication.kubernetes.io/pod-uid"] = [pod.uid]
        }
        if let secret = bound.secret { try await requireLive("secrets", namespace: namespace, reference: secret) }
        if let node = bound.node {
            // A pod-bound token names the pod's node for information; only a node-bound token needs it.
            if bound.pod == nil { try await requireLive("nodes", namespace: nil, reference: node) }
            extra["authentication.kubernetes.io/node-name"] = [node.name]
            extra["authentication.kubernetes.io/node-uid"] = [node.uid]
        }
        if let id = claims.id { extra["authentication.kubernetes.io/credential-id"] = ["JTI=\(id)"] }
        return Self.user(namespace: namespace, name: bound.serviceAccount.name, uid: bound.serviceAccount.uid, extra: extra)
    }

    private func legacyUser(_ claims: ServiceAccountClaims, token: String) async throws -> UserInfo {
        guard let namespace = claims.legacyNamespace, let name = claims.legacyServiceAccountName,
            let uid = claims.legacyServiceAccountUID, let secretName = claims.legacySecretName
        else { throw AuthenticationError.refused("service account token claims could not be found") }
        guard let secret = await registry.coreObject("secrets", namespace: namespace, name: secretName), secret.deletionTimestamp == nil,
            secret[path: "data", "token"]?.stringValue.flatMap({ Data(base64Encoded: $0) }) == Data(token.utf8)
        else { throw AuthenticationError.refused("secret \(namespace)/\(secretName) has been deleted or no longer holds the token") }
        try await requireLive("serviceaccounts", namespace: namespace, reference: ServiceAccountClaims.Reference(name: name, uid: uid))
        return Self.user(namespace: namespace, name: name, uid: uid, extra: ["authentication.kubernetes.io/credential-id": ["secret=\(secretName)"]])
    }

    /// Throws unless the object exists with the reference's uid and is not being deleted.
    private func requireLive(_ resource: String, namespace: String?, reference: ServiceAccountClaims.Reference) async throws {
        let what = namespace.map { "\(resource) \($0)/\(reference.name)" } ?? "\(resource) \(reference.name)"
        guard let object = await registry.coreObject(resource, namespace: namespace, name: reference.name) else {
            throw AuthenticationError.refused("\(what) has been deleted")
        }
        guard object.uid == reference.uid else {
            throw AuthenticationError.refused("\(what) uid (\(object.uid ?? "")) does not match claim (\(reference.uid))")
        }
        guard object.deletionTimestamp == nil else { throw AuthenticationError.refused("\(what) is being deleted") }
    }
}
