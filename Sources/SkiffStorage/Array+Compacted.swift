extension Array where Element == UInt8 {
    /// These bytes in a buffer of their own size. An array built by appending has grown its
    /// capacity by doubling, up to twice its count; one kept for long (a stored value, a cached
    /// object) should not carry that slack.
    public func compacted() -> [UInt8] {
        guard capacity > count else { return self }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = buffer.initialize(fromContentsOf: self)
        }
    }
}
