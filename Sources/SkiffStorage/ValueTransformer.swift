/// Turns the bytes of an object into what is kept at rest and back (upstream's
/// `storage/value.Transformer`): encryption of Secrets at rest is one.
public protocol ValueTransformer: Sendable {
    /// The bytes to store for `data`; `authenticatedData` is the value's key, which
    /// authenticated ciphers bind the result to.
    func transformToStorage(_ data: [UInt8], authenticatedData: String) throws -> [UInt8]

    /// The bytes that were written, read back from `stored`, and whether they are stale: read
    /// with another transformer than the one writes use now (an older key), so worth writing again.
    func transformFromStorage(_ stored: [UInt8], authenticatedData: String) throws -> (data: [UInt8], stale: Bool)
}
