/// Hexadecimal identifiers in the shape of SHA-256 digests (64 hex digits), for the simulated
/// runtime's container and image IDs. Not cryptographic.
enum HexDigest {
    /// 64 hex digits derived from `text` (four FNV-1a passes with different offsets).
    static func of(_ text: String) -> String {
        (0..<4).map { round -> String in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325 &+ UInt64(round) &* 0x9e37_79b9_7f4a_7c15
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            return hex(hash)
        }.joined()
    }

    /// 16 hex digits, zero-padded.
    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
