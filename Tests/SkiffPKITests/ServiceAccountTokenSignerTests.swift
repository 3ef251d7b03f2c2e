import Crypto
import Foundation
import SkiffPKI
import Testing

/// The service account signing key on disk and the JWTs signed with it.
struct ServiceAccountTokenSignerTests {
    static let claims = ServiceAccountClaims(
        issuer: "https://kubernetes.default.svc.cluster.local", audiences: ["api"], issuedAt: 1_700_000_000, expiresAt: 1_700_003_600,
        id: "id-1", kubernetes: .init(namespace: "default", serviceAccount: .init(name: "robot", uid: "u1"), pod: .init(name: "web", uid: "p1")))

    @Test func roundTrip() async throws {
        let signer = try await ServiceAccountTokenSigner(signingKey: P256.Signing.PrivateKey())
        let token = try await signer.sign(Self.claims)
        #expect(token.split(separator: ".").count == 3)
        #expect(try await signer.verify(token) == Self.claims)
        #expect(Self.claims.subject == "system:serviceaccount:default:robot")
    }

    @Test func privateClaimsAreUpstreamsNames() async throws {
        let signer = try await ServiceAccountTokenSigner(signingKey: P256.Signing.PrivateKey())
        let token = try await signer.sign(Self.claims)
        let payload = String(token.split(separator: ".")[1]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let padded = payload + String(repeating: "=", count: (4 - payload.count % 4) % 4)
        let bytes = try #require(Data(base64Encoded: padded))
        let json = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        #expect(json["iss"] as? String == "https://kubernetes.default.svc.cluster.local")
        #expect(json["aud"] as? [String] == ["api"])
        #expect(json["exp"] as? Int == 1_700_003_600)
        let kubernetes = try #require(json["kubernetes.io"] as? [String: Any])
        #expect((kubernetes["serviceaccount"] as? [String: String]) == ["name": "robot", "uid": "u1"])
        #expect((kubernetes["pod"] as? [String: String]) == ["name": "web", "uid": "p1"])
        #expect(kubernetes["namespace"] as? String == "default")
    }

    @Test func tamperedOrForeignTokensFail() async throws {
        let signer = try await ServiceAccountTokenSigner(signingKey: P256.Signing.PrivateKey())
        let token = try await signer.sign(Self.claims)
        var parts = token.split(separator: ".").map(String.init)
        parts[2] = String(parts[2].reversed())
        await #expect(throws: (any Error).self) { try await signer.verify(parts.joined(separator: ".")) }
        let other = try await ServiceAccountTokenSigner(signingKey: P256.Signing.PrivateKey())
        await #expect(throws: (any Error).self) { try await signer.verify(try await other.sign(Self.claims)) }
        await #expect(throws: (any Error).self) { try await signer.verify("not-a-jwt") }
        // A further verification key accepts the other signer's tokens.
        let both = try await ServiceAccountTokenSigner(signingKey: P256.Signing.PrivateKey(), verificationKeys: other.verificationKeys)
        #expect(try await both.verify(try await other.sign(Self.claims)) == Self.claims)
    }

    @Test func legacyClaims() async throws {
        let signer = try await ServiceAccountTokenSigner(signingKey: P256.Signing.PrivateKey())
        let claims = ServiceAccountClaims(legacyNamespace: "ns", serviceAccountName: "robot", serviceAccountUID: "u1", secretName: "robot-token")
        let verified = try await signer.verify(try await signer.sign(claims))
        #expect(verified.issuer == "kubernetes/serviceaccount")
        #expect(verified.legacySecretName == "robot-token")
        #expect(verified.expiresAt == nil && verified.audiences == nil)
    }

    @Test func keyIsKeptOwnerOnlyAndReused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-sa-\(UUID().uuidString)").path
        let directory = PKIDirectory(path: path)
        let first = try ServiceAccountSigningKey.ensure(in: directory)
        let again = try ServiceAccountSigningKey.ensure(in: directory)
        #expect(first.privateKey.rawRepresentation == again.privateKey.rawRepresentation)
        for file in ["sa.key", "sa.pub"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: path + "/" + file)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }
        let published = try ServiceAccountTokenSigner.publicKeys(pem: String(contentsOfFile: path + "/sa.pub", encoding: .utf8))
        #expect(published.map(\.rawRepresentation) == [first.privateKey.publicKey.rawRepresentation])
    }
}
