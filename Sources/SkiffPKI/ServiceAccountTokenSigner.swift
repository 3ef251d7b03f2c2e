import Crypto
import Foundation
import JWTKit

/// Signs service account tokens with the cluster's key and verifies them against it and any
/// further public keys (upstream's `--service-account-key-file`), as ES256 JWTs (jwt-kit).
/// Each key's id (`kid`) is upstream's: the unpadded base64url SHA-256 of its DER public key.
public struct ServiceAccountTokenSigner: Sendable {
    /// The id of the signing key, in every token's header.
    public let keyID: String
    /// The public keys tokens are verified against, the signing key's first.
    public let verificationKeys: [P256.Signing.PublicKey]
    private let keys: JWTKeyCollection

    /// A signer with `signingKey` that also accepts tokens signed by the keys of `verificationKeys`.
    public init(signingKey: P256.Signing.PrivateKey, verificationKeys extra: [P256.Signing.PublicKey] = []) async throws {
        keyID = Self.keyID(of: signingKey.publicKey)
        verificationKeys = [signingKey.publicKey] + extra.filter { Self.keyID(of: $0) != Self.keyID(of: signingKey.publicKey) }
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: try ES256PrivateKey(backing: signingKey), kid: JWKIdentifier(string: keyID))
        for key in verificationKeys.dropFirst() {
            await keys.add(ecdsa: try ES256PublicKey(backing: key), kid: JWKIdentifier(string: Self.keyID(of: key)))
        }
        self.keys = keys
    }

    /// The public keys of the PEM text `pem` (one or more `PUBLIC KEY` or private key blocks).
    public static func publicKeys(pem: String) throws(PKIError) -> [P256.Signing.PublicKey] {
        var keys: [P256.Signing.PublicKey] = []
        var rest = Substring(pem)
        while let begin = rest.range(of: "-----BEGIN "), let endLabel = rest.range(of: "-----END ", range: begin.upperBound..<rest.endIndex),
            let close = rest.range(of: "-----", range: endLabel.upperBound..<rest.endIndex) {
            let block = String(rest[begin.lowerBound..<close.upperBound])
            rest = rest[close.upperBound...]
            if let key = try? P256.Signing.PublicKey(pemRepresentation: block) {
                keys.append(key)
            } else if let key = try? P256.Signing.PrivateKey(pemRepresentation: block) {
                keys.append(key.publicKey)
            } else {
                throw PKIError("not an ECDSA P-256 key: \(block.prefix(40))…")
            }
        }
        return keys
    }

    /// The compact JWT of `claims`, signed.
    public func sign(_ claims: ServiceAccountClaims) async throws -> String {
        try await keys.sign(claims, kid: JWKIdentifier(string: keyID))
    }

    /// The claims of `token` once its signature checks out against one of the keys; throws for a
    /// malformed token or a bad signature.
    public func verify(_ token: String) async throws -> ServiceAccountClaims {
        try await keys.verify(token, as: ServiceAccountClaims.self, iteratingKeys: true)
    }

    /// The claims of `token` without checking its signature (to see whose it is); nil when it is
    /// not a JWT with service account claims.
    public func unverifiedClaims(_ token: String) async -> ServiceAccountClaims? {
        try? await keys.unverified(token, as: ServiceAccountClaims.self)
    }

    /// The JSON Web Keys of the verification keys (the `keys` of `/openid/v1/jwks`).
    public var jsonWebKeys: [[String: String]] {
        verificationKeys.map { key in
            let raw = key.rawRepresentation
            return [
                "use": "sig", "kty": "EC", "kid": Self.keyID(of: key), "crv": "P-256", "alg": "ES256",
                "x": Self.base64URL(raw.prefix(32)), "y": Self.base64URL(raw.suffix(32)),
            ]
        }
    }

    /// Upstream's key id: the unpadded base64url SHA-256 of the DER SubjectPublicKeyInfo.
    public static func keyID(of key: P256.Signing.PublicKey) -> String {
        base64URL(Data(SHA256.hash(data: key.derRepresentation)))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
