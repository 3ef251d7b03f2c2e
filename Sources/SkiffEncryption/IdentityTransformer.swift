import SkiffStorage

/// The `identity` provider: values stored as they are; reading one that is encrypted is an error,
/// so that the providers after it get to read it.
struct IdentityTransformer: ValueTransformer {
    static let encryptedPrefix = Array("k8s:enc:".utf8)

    func transformToStorage(_ data: [UInt8], authenticatedData: String) throws -> [UInt8] { data }

    func transformFromStorage(_ stored: [UInt8], authenticatedData: String) throws -> (data: [UInt8], stale: Bool) {
        if stored.starts(with: Self.encryptedPrefix) { throw EncryptionError("identity transformer tried to read encrypted data") }
        return (stored, false)
    }
}
