import SkiffStorage

/// Transformers told apart by the prefix of what they store (upstream's `PrefixTransformers`):
/// the first writes, behind its prefix; a read goes to the first whose prefix the value has. A
/// value read by any but the first is stale. An empty prefix (identity) that cannot read a value
/// lets the next ones try.
public struct PrefixTransformers: ValueTransformer {
    /// One transformer and the prefix of what it stores.
    public struct Entry: Sendable {
        var prefix: [UInt8]
        var transformer: any ValueTransformer
    }

    let entries: [Entry]
    /// The error of a value no prefix matches.
    let noMatch: String

    init(_ entries: [Entry], noMatch: String) {
        self.entries = entries
        self.noMatch = noMatch
    }

    public func transformToStorage(_ data: [UInt8], authenticatedData: String) throws -> [UInt8] {
        guard let first = entries.first else { throw EncryptionError(noMatch) }
        return try first.prefix + first.transformer.transformToStorage(data, authenticatedData: authenticatedData)
    }

    public func transformFromStorage(_ stored: [UInt8], authenticatedData: String) throws -> (data: [UInt8], stale: Bool) {
        var errors: [any Error] = []
        for (index, entry) in entries.enumerated() where stored.starts(with: entry.prefix) {
            do {
                let (data, stale) = try entry.transformer.transformFromStorage(Array(stored.dropFirst(entry.prefix.count)),
                                                                               authenticatedData: authenticatedData)
                return (data, stale || index != 0)
            } catch where entry.prefix.isEmpty {
                errors.append(error)
            }
        }
        if let error = errors.first { throw error }
        throw EncryptionError(noMatch)
    }
}

/// Why a stored value could not be read or written through its transformer.
struct EncryptionError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
