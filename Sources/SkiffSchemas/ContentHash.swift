/// A stable content hash for cache-busting URLs (FNV-1a 64, twice with different seeds: 128 bits
/// of uppercase hex). Not cryptographic: it only has to change when the document changes.
enum ContentHash {
    static func hex(_ bytes: [UInt8]) -> String {
        func fnv(_ seed: UInt64) -> UInt64 {
            var hash = seed
            for byte in bytes {
                hash ^= UInt64(byte)
                hash &*= 0x100_0000_01b3
            }
            return hash
        }
        return [fnv(0xcbf2_9ce4_8422_2325), fnv(0x8422_2325_cbf2_9ce4)].map { value in
            let digits = String(value, radix: 16, uppercase: true)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }
}
