import SkiffAPI

/// The short hashes that name ControllerRevisions and label pods (upstream's `ComputeHash` /
/// `HashControllerRevision` encoded with `rand.SafeEncodeString`): FNV-1a (32 bits) of the
/// revision's data in its canonical JSON form, followed by the collision count's four
/// little-endian bytes when the owner has one, written in decimal with each digit mapped to an
/// alphabet without vowels (`"7b9c5d8f4"`). The digits differ from upstream's, which hashes Go's
/// printed form of the object.
enum RevisionHash {
    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789".utf8)

    static func hash(of data: JSONValue, collisionCount: Int64?) -> String {
        var bytes = data.serialized()
        if let collisionCount {
            let count = UInt32(truncatingIfNeeded: collisionCount)
            bytes += [UInt8(count & 0xff), UInt8((count >> 8) & 0xff), UInt8((count >> 16) & 0xff), UInt8(count >> 24)]
        }
        return safeEncode(String(fnv1a32(bytes)))
    }

    static func fnv1a32(_ bytes: [UInt8]) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }

    /// Upstream's `SafeEncodeString`: every byte replaced by `alphabet[byte % 27]`.
    static func safeEncode(_ text: String) -> String {
        String(decoding: text.utf8.map { alphabet[Int($0) % alphabet.count] }, as: UTF8.self)
    }
}
