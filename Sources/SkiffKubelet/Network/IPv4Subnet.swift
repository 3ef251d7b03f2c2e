/// An IPv4 network in CIDR notation (`10.128.0.0/10`).
public struct IPv4Subnet: Sendable, Hashable, CustomStringConvertible {
    /// The network address as a 32-bit number.
    public let base: UInt32
    /// The number of network bits (`/n`).
    public let prefixLength: Int

    /// The network of `base` (host bits cleared) with `prefixLength` network bits.
    public init(base: UInt32, prefixLength: Int) {
        precondition((0...32).contains(prefixLength), "prefix length out of range")
        let mask: UInt32 = prefixLength == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefixLength)
        self.base = base & mask
        self.prefixLength = prefixLength
    }

    /// Parses `a.b.c.d/n`; nil if malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let length = Int(parts[1]), (0...32).contains(length),
            let address = IPv4Subnet.parseAddress(String(parts[0]))
        else { return nil }
        self.init(base: address, prefixLength: length)
    }

    /// Addresses in the network.
    public var size: UInt64 { UInt64(1) << UInt64(32 - prefixLength) }

    /// The `index`-th subnet with prefix `length` inside this one, nil if out of range.
    public func subnet(_ index: Int, prefixLength length: Int) -> IPv4Subnet? {
        guard length >= prefixLength, length <= 32, index >= 0, UInt64(index) < UInt64(1) << UInt64(length - prefixLength) else { return nil }
        return IPv4Subnet(base: base + UInt32(index) << UInt32(32 - length), prefixLength: length)
    }

    /// The index of `subnet` among this network's subnets of its size, nil if not inside.
    public func index(of subnet: IPv4Subnet) -> Int? {
        guard subnet.prefixLength >= prefixLength, contains(subnet.base) else { return nil }
        return Int((subnet.base - base) >> UInt32(32 - subnet.prefixLength))
    }

    /// Whether `address` is in the network.
    public func contains(_ address: UInt32) -> Bool {
        UInt64(address) >= UInt64(base) && UInt64(address) < UInt64(base) + size
    }

    /// The address at `offset` from the network address, as text.
    public func address(at offset: UInt32) -> String { Self.format(base + offset) }

    /// `a.b.c.d/n`.
    public var description: String { "\(Self.format(base))/\(prefixLength)" }

    /// `a.b.c.d` as a number.
    public static func parseAddress(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 < 256 }) else { return nil }
        return octets.reduce(0) { $0 << 8 | $1 }
    }

    /// A number as `a.b.c.d`.
    public static func format(_ address: UInt32) -> String {
        [24, 16, 8, 0].map { String(address >> UInt32($0) & 0xff) }.joined(separator: ".")
    }
}
