import SkiffAPI
import Synchronization

/// Hands out service cluster IPs from the service CIDR: an IP is taken when a service in the
/// cache has it or a create in flight reserved it.
final class ClusterIPAllocator: Sendable {
    /// The service CIDR (kubeadm's default): 10.96.0.0/12.
    static let base: UInt32 = 10 << 24 | 96 << 16
    static let size: UInt32 = 1 << 20

    private let reserved = Mutex<Set<UInt32>>([])

    /// Reserves `requested` (validated) or a free IP; the caller releases it if the create fails.
    func allocate(requested: String?, inUse: Set<UInt32>) throws(APIError) -> String {
        try reserved.withLock { (reserved: inout Set<UInt32>) throws(APIError) -> String in
            if let requested {
                guard let address = Self.parse(requested) else {
                    throw invalid(requested, "must be a valid IP address (e.g. 10.9.8.7 or 2001:db8::ffff)")
                }
                guard address > Self.base, address < Self.base + Self.size - 1 else {
                    throw invalid(requested, "provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12")
                }
                guard !inUse.contains(address), !reserved.contains(address) else {
                    throw invalid(requested, "provided IP is already allocated")
                }
                reserved.insert(address)
                return requested
            }
            let start = UInt32.random(in: 2..<(Self.size - 1))
            for step in 0..<(Self.size - 2) {
                let address = Self.base + 1 + (start + step) % (Self.size - 2)
                if !inUse.contains(address) && !reserved.contains(address) {
                    reserved.insert(address)
                    return Self.format(address)
                }
            }
            throw APIError(code: 500, reason: .internalError, message: "Internal error occurred: failed to allocate a serviceIP: range is full")
        }
    }

    /// Forgets a reservation (the service was stored, or its create failed, or it was deleted).
    func release(_ ip: String) {
        guard let address = Self.parse(ip) else { return }
        _ = reserved.withLock { $0.remove(address) }
    }

    private func invalid(_ ip: String, _ detail: String) -> APIError {
        APIError.invalid(kind: GroupKind(group: "", kind: "Service"), name: "", errors: [.invalid("spec.clusterIPs[0]", .string(ip), detail)])
    }

    static func parse(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let octet = UInt32(part), octet < 256, part.count <= 3 else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    static func format(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }
}
