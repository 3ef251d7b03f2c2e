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
        // Eight bytes at a time from the end: the last byte holds offsets 0-7.
        var end = bytes.count
        var word = 0
        while end > 0 && word < words.count {
            var value: UInt64 = 0
            for byte in bytes[max(0, end - 8)..<end] { value = value << 8 | UInt64(byte) }
            words[word] = value
            end -= 8
            word += 1
        }
        if count % 64 != 0, let last = words.indices.last { words[last] &= (1 << UInt64(count % 64)) - 1 }
    }

    /// The stored form: big-endian, without leading zero bytes (empty when nothing is taken).
    var bigEndianBytes: [UInt8] {
        guard let top = words.lastIndex(where: { $0 != 0 }) else { return [] }
        let swapped = words[...top].reversed().map(\.bigEndian)
        return swapped.withUnsafeBytes { Array($0.dropFirst(words[top].leadingZeroBitCount / 8)) }
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
