/// The names of a service port's chains and sets, as upstream's nftables proxier forms them:
/// a kind, an 8-character hash of the service port, and the readable service port name
/// (`service-ULMVA6XW-ns1/svc1/tcp/p80`, `endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80`).
/// The hash keeps names unique when the readable part is cut to nftables' length limit.
enum ChainName {
    /// nftables' limit on chain and set names.
    static let maxLength = 256

    static func service(_ port: ProxiedServicePort) -> String { name("service", port.displayName) }
    static func local(_ port: ProxiedServicePort) -> String { name("local", port.displayName) }
    static func external(_ port: ProxiedServicePort) -> String { name("external", port.displayName) }

    static func endpoint(_ port: ProxiedServicePort, _ endpoint: ProxiedEndpoint) -> String {
        name("endpoint", "\(port.displayName)__\(endpoint.ip)/\(endpoint.port)")
    }

    static func affinity(_ port: ProxiedServicePort, _ endpoint: ProxiedEndpoint) -> String {
        name("affinity", "\(port.displayName)__\(endpoint.ip)/\(endpoint.port)")
    }

    static func name(_ kind: String, _ readable: String) -> String {
        String("\(kind)-\(hash(readable))-\(readable)".prefix(maxLength))
    }

    /// FNV-1a (64 bits) of `text` in 8 base32 characters: stable across processes and releases,
    /// which Swift's `Hasher` is not.
    static func hash(_ text: String) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01b3
        }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        return String((0..<8).map { index in alphabet[Int((value >> (UInt64(index) * 5)) & 31)] })
    }
}
