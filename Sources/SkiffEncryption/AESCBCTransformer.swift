import Crypto
import Foundation
import SkiffStorage
import _CryptoExtras

/// The `aescbc` provider's cipher: a random 16-byte IV, then the value in AES-CBC with PKCS#7
/// padding (upstream's layout).
struct AESCBCTransformer: ValueTransformer {
    static let blockSize = 16
    let key: SymmetricKey

    init(key: [UInt8]) throws {
        self.key = try SymmetricKey(aesKey: key)
    }

    func transformToStorage(_ data: [UInt8], authenticatedData: String) throws -> [UInt8] {
        let iv = AES._CBC.IV()
        return Array(iv) + Array(try AES._CBC.encrypt(data, using: key, iv: iv))
    }

    func transformFromStorage(_ stored: [UInt8], authenticatedData: String) throws -> (data: [UInt8], stale: Bool) {
        guard stored.count >= Self.blockSize else { throw EncryptionError("the stored data was shorter than the required size") }
        let ciphertext = stored.dropFirst(Self.blockSize)
        guard ciphertext.count % Self.blockSize == 0 else { throw EncryptionError("the stored data is not a multiple of the block size") }
        guard !ciphertext.isEmpty else { throw EncryptionError("invalid PKCS7 data (empty or not padded)") }
        let iv = try AES._CBC.IV(ivBytes: stored.prefix(Self.blockSize))
        let padded = Array(try AES._CBC.decrypt(ciphertext, using: key, iv: iv, noPadding: true))
        let padding = Int(padded.last ?? 0)
        guard padding > 0, padding <= Self.blockSize, padded.suffix(padding).allSatisfy({ Int($0) == padding }) else {
            throw EncryptionError("invalid padding on input")
        }
        return (Array(padded.dropLast(padding)), false)
    }
}

extension SymmetricKey {
    /// An AES-128, -192 or -256 key.
    init(aesKey bytes: [UInt8]) throws {
        guard [16, 24, 32].contains(bytes.count) else { throw EncryptionError("crypto/aes: invalid key size \(bytes.count)") }
        self.init(data: bytes)
    }
}
