/// SplitMix64, a fast seeded generator that is not cryptographic: for choices that need to be
/// spread, not secret (the scheduler's tie-breaks among equal nodes, as upstream's `math/rand`),
/// and for reproducible test cases. `SystemRandomNumberGenerator` makes a system call for every
/// number on Linux, which a loop over hundreds of tied nodes per pod cannot afford.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator that starts at `seed`: the same seed gives the same numbers.
    public init(seed: UInt64) {
        state = seed
    }

    /// A generator seeded from the system's generator.
    public init() {
        var system = SystemRandomNumberGenerator()
        self.init(seed: system.next())
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
