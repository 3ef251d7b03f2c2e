import Crypto
import Foundation

/// The key that signs service account tokens (upstream's `sa.key` and `sa.pub`): an ECDSA P-256
/// key kept in the PKI directory, owner-only, made once and reused on restart.
public struct ServiceAccountSigningKey: Sendable {
    /// The file stem of the key pair in the PKI directory (`sa.key`, `sa.pub`).
    public static let name = "sa"

    public let privateKey: P256.Signing.PrivateKey

    public init(privateKey: P256.Signing.PrivateKey) {
        self.privateKey = privateKey
    }

    /// The key read from a PEM file (PKCS#8 or SEC 1), as `--service-account-signing-key-file`.
    public init(path: String) throws(PKIError) {
        do {
            privateKey = try P256.Signing.PrivateKey(pemRepresentation: String(contentsOfFile: path, encoding: .utf8))
        } catch {
            throw PKIError("cannot read the service account signing key \(path) (an ECDSA P-256 PEM key): \(error)")
        }
    }

    /// The key stored in `directory`, made and written (both files 0600) when missing.
    public static func ensure(in directory: PKIDirectory) throws(PKIError) -> ServiceAccountSigningKey {
        let keyPath = directory.keyPath(name)
        if FileManager.default.fileExists(atPath: keyPath) { return try ServiceAccountSigningKey(path: keyPath) }
        let key = ServiceAccountSigningKey(privateKey: P256.Signing.PrivateKey())
        try directory.create()
        try PKIDirectory.writeOwnerOnly(key.privateKey.pemRepresentation + "\n", to: keyPath)
        try PKIDirectory.writeOwnerOnly(key.publicKeyPEM, to: directory.path + "/\(name).pub")
        return key
    }

    /// The public key as PEM text (SubjectPublicKeyInfo).
    public var publicKeyPEM: String { privateKey.publicKey.pemRepresentation + "\n" }
}
