import Synchronization

/// The pod IPs of one node's pod subnet, as the host-local IPAM plugin hands them out: the
/// network address and `.1` (the gateway) and the broadcast address are never given; a
/// released address is reused last (round-robin from the last one given).
public final class PodIPAllocator: Sendable {
    private struct State {
        var used = Set<UInt32>()
        var last: UInt32 = 1
    }

    /// The node's pod subnet.
    public let subnet: IPv4Subnet
    private let state = Mutex(State())

    /// An allocator with every address free.
    public init(subnet: IPv4Subnet) {
        self.subnet = subnet
    }

    /// Addresses that can be given at all.
    public var capacity: Int { max(Int(subnet.size) - 3, 0) }

    /// Marks an address already in use (a pod that kept its IP across a restart).
    public func occupy(_ address: String) {
        guard let number = IPv4Subnet.parseAddress(address), subnet.contains(number) else { return }
        state.withLock { _ = $0.used.insert(number - subnet.base) }
    }

    /// A free address, taken; nil when the subnet is full.
    public func allocate() -> String? {
        let size = UInt32(truncatingIfNeeded: subnet.size)
        guard size > 3 else { return nil }
        return state.withLock { state -> String? in
            var candidate = state.last
            for _ in 0..<(size - 3) {
                candidate = candidate + 1 >= size - 1 ? 2 : candidate + 1
                if !state.used.contains(candidate) {
                    state.used.insert(candidate)
                    state.last = candidate
                    return subnet.address(at: candidate)
                }
            }
            return nil
        }
    }

    /// Gives an address back.
    public func release(_ address: String) {
        guard let number = IPv4Subnet.parseAddress(address), subnet.contains(number) else { return }
        state.withLock { _ = $0.used.remove(number - subnet.base) }
    }

    /// Addresses in use.
    public var allocatedCount: Int { state.withLock { $0.used.count } }
}
