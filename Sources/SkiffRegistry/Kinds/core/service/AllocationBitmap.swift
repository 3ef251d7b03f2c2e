/// Which offsets of a range are taken, kept as upstream's bitmap allocator keeps them: bit `i` of
/// a big integer stands for offset `i`, and the stored form is that integer's big-endian bytes
/// without leading zeros (Go's `big.Int.Bytes()`).
struct AllocationBitmap: Sendable, Equatable {
    /// The bits, 64 offsets a word, lowest offsets first.
    private var words: [UInt64]
    /// The number of offsets.
    let count: Int

    /// No offset taken.
    init(count: Int) {
        self.count = count
        words = Array(repeating: 0, count: (count + 63) / 64)
    }

    /// The offsets the stored bytes mark (bits beyond `count` are dropped).
    init(count: Int, bigEndianBytes bytes: [UInt8]) {
        self.init(count: count)
        for (position, byte) in bytes.reversed().enumerated() where byte != 0 {
            for bit in 0..<8 where byte & (1 << bit) != 0 {
                let offset = position * 8 + bit
                if offset < count { insert(offset) }
            }
        }
    }

    /// The stored form: big-endian, without leading zero bytes (empty when nothing is taken).
    var bigEndianBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(words.count * 8)
        for word in words.reversed() {
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return Array(bytes.drop { $0 == 0 })
    }

    func contains(_ offset: Int) -> Bool {
        words[offset / 64] & (1 << UInt64(offset % 64)) != 0
    }

    mutating func insert(_ offset: Int) {
        words[offset / 64] |= 1 << UInt64(offset % 64)
    }

    mutating func remove(_ offset: Int) {
        words[offset / 64] &= ~(1 << UInt64(offset % 64))
    }

    /// The first free offset of `band` at or after `start`, wrapping around within the band.
    func firstFree(in band: Range<Int>, from start: Int) -> Int? {
        for step in 0..<band.count {
            let offset = band.lowerBound + (start - band.lowerBound + step) % band.count
            if words[offset / 64] == .max { continue }
            if !contains(offset) { return offset }
        }
        return nil
    }
}
