import Crypto

/// The chains of a service port in iptables mode, named as upstream's iptables proxier names
/// them: a prefix and the first 16 characters of the base32 SHA-256 of the service port name
/// and protocol (and, for an endpoint, its `ip:port`), so the names match a real kube-proxy's
/// (`KUBE-SVC-XPGD46QRK7WJZT7O` for `ns1/svc1:p80` over TCP) and fit iptables' 28 characters.
enum IPTablesChainName {
    static func service(_ port: ProxiedServicePort) -> String { "KUBE-SVC-" + hash(port.servicePortName + port.l4Protocol) }
    static func local(_ port: ProxiedServicePort) -> String { "KUBE-SVL-" + hash(port.servicePortName + port.l4Protocol) }
    static func external(_ port: ProxiedServicePort) -> String { "KUBE-EXT-" + hash(port.servicePortName + port.l4Protocol) }

    static func endpoint(_ port: ProxiedServicePort, _ endpoint: ProxiedEndpoint) -> String {
        "KUBE-SEP-" + hash(port.servicePortName + port.l4Protocol + endpoint.address)
    }

    /// The prefixes of the per-port chains: chains of a previous process with them are the proxy's own.
    static let perPortPrefixes = ["KUBE-SVC-", "KUBE-SVL-", "KUBE-EXT-", "KUBE-SEP-"]

    /// Base32 (RFC 4648 alphabet) of the first 10 bytes of the SHA-256 of `text`: 16 characters.
    static func hash(_ text: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var bits: UInt64 = 0
        var count = 0
        var result = ""
        for byte in SHA256.hash(data: Array(text.utf8)).prefix(10) {
            bits = bits << 8 | UInt64(byte)
            count += 8
            while count >= 5 {
                count -= 5
                result.append(alphabet[Int((bits >> UInt64(count)) & 31)])
            }
        }
        return result
    }
}

extension ProxiedServicePort {
    /// Upstream's service port name, `namespace/name:port` (`namespace/name` for an unnamed port).
    var servicePortName: String { "\(namespace)/\(serviceName)" + (portName.isEmpty ? "" : ":\(portName)") }
}
