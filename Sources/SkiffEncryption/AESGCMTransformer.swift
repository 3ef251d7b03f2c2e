import Crypto
import Foundation
import SkiffStorage

/// The `aesgcm` provider's cipher: a random 12-byte nonce, the ciphertext and the 16-byte tag,
/// the value's key authenticated with it (upstream's layout).
struct AESGCMTransformer: ValueTransformer {
    static let nonceSize = 12
    let key: SymmetricKey

    init(key: [UInt8]) throws {
        self.key = try SymmetricKey(aesKey: key)
    }

    func transformToStorage(_ data: [UInt8], authenticatedData: String) throws -> [UInt8] {
        let sealed = try AES.GCM.seal(data, using: key, nonce: AES.GCM.Nonce(), authenticating: Array(authenticatedData.utf8))
        guard let combined = sealed.combined else { throw EncryptionError("AES-GCM produced no combined form") }
        return Array(combined)
    }

    func transformFromStorage(_ stored: [UInt8], authenticatedData: String) throws -> (data: [UInt8], stale: Bool) {
        guard stored.count >= Self.nonceSize else { throw EncryptionError("the stored data was shorter than the required size") }
        do {
            let box = try AES.GCM.SealedBox(combined: stored)
            return (Array(try AES.GCM.open(box, using: key, authenticating: Array(authenticatedData.utf8))), false)
        } catch {
            throw EncryptionError("cipher: message authentication failed")
        }
    }
}
