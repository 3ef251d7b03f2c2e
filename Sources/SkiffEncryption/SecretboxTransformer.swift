import SkiffStorage

/// The `secretbox` provider's cipher: a random 24-byte nonce, then the XSalsa20-Poly1305 box
/// (MAC first), as upstream's (Go's `nacl/secretbox`) layout.
struct SecretboxTransformer: ValueTransformer {
    let key: [UInt8]
    let sodium: Libsodium

    init(key: [UInt8], sodium: Libsodium) throws {
        guard key.count == Libsodium.keySize else { throw EncryptionError("the secretbox key must be 32 bytes, got \(key.count)") }
        self.key = key
        self.sodium = sodium
    }

    func transformToStorage(_ data: [UInt8], authenticatedData: String) throws -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let nonce = (0..<Libsodium.nonceSize).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return nonce + sodium.seal(data, nonce: nonce, key: key)
    }

    func transformFromStorage(_ stored: [UInt8], authenticatedData: String) throws -> (data: [UInt8], stale: Bool) {
        guard stored.count >= Libsodium.nonceSize + Libsodium.macSize else {
            throw EncryptionError("the stored data was shorter than the required size")
        }
        guard let data = sodium.open(Array(stored.dropFirst(Libsodium.nonceSize)), nonce: Array(stored.prefix(Libsodium.nonceSize)), key: key) else {
            throw EncryptionError("output array too small")
        }
        return (data, false)
    }
}
