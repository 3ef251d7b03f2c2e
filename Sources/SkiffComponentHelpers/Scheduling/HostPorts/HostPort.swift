import SkiffModels

/// A host port a container asks for, normalized from `CoreV1.ContainerPort` with the defaults
/// upstream applies (protocol `TCP`, host IP `0.0.0.0`, every address) so that a node's used
/// ports can be looked up by value (upstream's `HostPortInfo` keys).
public struct HostPort: Sendable, Hashable {
    /// The host address (`0.0.0.0` for every address).
    public var ip: String
    /// `TCP`, `UDP` or `SCTP`.
    public var `protocol`: String
    public var port: Int64

    /// The address that stands for every address of the host.
    public static let anyAddress = "0.0.0.0"

    /// The host ports of a pod's containers.
    public static func of(_ spec: CoreV1.PodSpec?) -> [HostPort] {
        var ports: [HostPort] = []
        for container in spec?.containers ?? [] {
            for port in container.ports ?? [] {
                guard let number = port.hostPort, number > 0 else { continue }
                let ip = port.hostIP ?? ""
                ports.append(HostPort(ip: ip.isEmpty ? anyAddress : ip, protocol: port.protocol ?? "TCP", port: Int64(number)))
            }
        }
        return ports
    }
}

/// The host ports in use on a node, as upstream's `HostPortInfo`: a port on `0.0.0.0` conflicts
/// with the same port and protocol on any address, and the other way round.
public struct HostPortSet: Sendable, Hashable {
    private var used: [HostPort: Int] = [:]

    /// No ports in use.
    public init() {}

    /// Marks `port` as used (once more).
    public mutating func add(_ port: HostPort) { used[port, default: 0] += 1 }

    /// Gives back one use of `port`.
    public mutating func remove(_ port: HostPort) {
        guard let count = used[port] else { return }
        used[port] = count > 1 ? count - 1 : nil
    }

    /// Whether `port` cannot be used alongside the ports in use.
    public func conflicts(with port: HostPort) -> Bool {
        if port.ip == HostPort.anyAddress {
            return used.keys.contains { $0.port == port.port && $0.protocol == port.protocol }
        }
        return used[port] != nil || used[HostPort(ip: HostPort.anyAddress, protocol: port.protocol, port: port.port)] != nil
    }

    /// Whether no port is in use.
    public var isEmpty: Bool { used.isEmpty }
}
