#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libsodium's XSalsa20-Poly1305 `crypto_secretbox`, loaded at run time (only when a `secretbox`
/// provider is configured, so that building Skiff needs no libsodium).
///
/// `@unchecked Sendable`: it holds two C function pointers into a library loaded once and never
/// unloaded; calling them from any thread is safe once `sodium_init` has run.
final class Libsodium: @unchecked Sendable {
    typealias Box = @convention(c) (
        UnsafeMutablePointer<UInt8>?, UnsafePointer<UInt8>?, UInt64, UnsafePointer<UInt8>?, UnsafePointer<UInt8>?
    ) -> Int32

    static let keySize = 32
    static let nonceSize = 24
    static let macSize = 16

    /// The library, loaded on first use; an error names the Debian package to install.
    static let shared: Result<Libsodium, EncryptionConfigurationError> = Result { () throws(EncryptionConfigurationError) in try Libsodium() }

    private let secretboxEasy: Box
    private let secretboxOpenEasy: Box

    private init() throws(EncryptionConfigurationError) {
        let names: [String] = ["libsodium.so.23", "libsodium.so", "libsodium.dylib"]
        guard let handle = names.lazy.compactMap({ name in dlopen(name, RTLD_NOW) }).first else {
            throw EncryptionConfigurationError(
                "the secretbox provider needs libsodium, which could not be loaded (install libsodium23 on Debian or Ubuntu)")
        }
        typealias Initializer = @convention(c) () -> Int32
        guard let initialize = dlsym(handle, "sodium_init"), let seal = dlsym(handle, "crypto_secretbox_easy"),
              let open = dlsym(handle, "crypto_secretbox_open_easy")
        else {
            throw EncryptionConfigurationError("libsodium lacks crypto_secretbox_easy")
        }
        guard unsafeBitCast(initialize, to: Initializer.self)() >= 0 else {
            throw EncryptionConfigurationError("libsodium could not be initialized")
        }
        secretboxEasy = unsafeBitCast(seal, to: Box.self)
        secretboxOpenEasy = unsafeBitCast(open, to: Box.self)
    }

    /// The MAC, then `message` encrypted (`crypto_secretbox_easy`).
    func seal(_ message: [UInt8], nonce: [UInt8], key: [UInt8]) -> [UInt8] {
        var box = [UInt8](repeating: 0, count: message.count + Self.macSize)
        _ = box.withUnsafeMutableBufferPointer { out in secretboxEasy(out.baseAddress, message, UInt64(message.count), nonce, key) }
        return box
    }

    /// The message of `box`, or nil when it does not authenticate (`crypto_secretbox_open_easy`).
    func open(_ box: [UInt8], nonce: [UInt8], key: [UInt8]) -> [UInt8]? {
        guard box.count >= Self.macSize else { return nil }
        var message = [UInt8](repeating: 0, count: box.count - Self.macSize)
        let result = message.withUnsafeMutableBufferPointer { out in secretboxOpenEasy(out.baseAddress, box, UInt64(box.count), nonce, key) }
        return result == 0 ? message : nil
    }
}
