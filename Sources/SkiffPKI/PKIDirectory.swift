import Foundation

/// The files of a PKI directory: `NAME.crt` and `NAME.key`, written owner-only (0600) in a
/// directory only its owner may enter (0700).
public struct PKIDirectory: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The path of `name`'s certificate.
    public func certificatePath(_ name: String) -> String { "\(path)/\(name).crt" }

    /// The path of `name`'s private key.
    public func keyPath(_ name: String) -> String { "\(path)/\(name).key" }

    /// The pair stored as `name`, or nil when either file is missing.
    public func read(_ name: String) throws(PKIError) -> KeyPair? {
        let (certificate, key) = (certificatePath(name), keyPath(name))
        guard FileManager.default.fileExists(atPath: certificate), FileManager.default.fileExists(atPath: key) else { return nil }
        do {
            return try KeyPair(certificatePEM: String(contentsOfFile: certificate, encoding: .utf8),
                               privateKeyPEM: String(contentsOfFile: key, encoding: .utf8))
        } catch let error as PKIError {
            throw PKIError("\(certificate): \(error.description)")
        } catch {
            throw PKIError("cannot read \(certificate): \(error)")
        }
    }

    /// Stores `pair` as `name`, both files 0600, replacing what was there.
    public func write(_ pair: KeyPair, as name: String) throws(PKIError) {
        try create()
        try Self.writeOwnerOnly(pair.privateKeyPEM, to: keyPath(name))
        try Self.writeOwnerOnly(pair.certificatePEM(), to: certificatePath(name))
    }

    /// Creates the directory (0700) when missing.
    func create() throws(PKIError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw PKIError("cannot create \(path): \(error)")
        }
    }

    /// Writes `text` to `path` readable and writable by its owner only: written to a new 0600
    /// file beside it, then renamed over it, so no reader sees a partial file.
    public static func writeOwnerOnly(_ text: String, to path: String) throws(PKIError) {
        let temporary = path + ".tmp"
        try? FileManager.default.removeItem(atPath: temporary)
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw PKIError("cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else { throw PKIError("cannot rename \(temporary) to \(path): errno \(errno)") }
    }
}
