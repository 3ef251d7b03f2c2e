import NIOCore
import NIOPosix

/// Sends queries for names outside the cluster to the host's resolvers over UDP, one after the
/// other until one answers, and hands back their response unchanged (CoreDNS' `forward . /etc/resolv.conf`).
public struct UpstreamForwarder: Sendable {
    /// The resolvers (`address` or `address:port`), tried in order.
    public let nameservers: [String]
    /// How long each is waited for.
    public let timeout: Duration

    public init(nameservers: [String], timeout: Duration = .seconds(2)) {
        self.nameservers = nameservers
        self.timeout = timeout
    }

    /// The first upstream response to `query` (its wire form), nil if none answered in time.
    public func forward(_ query: [UInt8]) async -> [UInt8]? {
        guard let id = DNSMessage.id(of: query) else { return nil }
        for server in nameservers {
            if let response = try? await ask(server, query: query, id: id) { return response }
        }
        return nil
    }

    private func ask(_ server: String, query: [UInt8], id: UInt16) async throws -> [UInt8]? {
        let address = try Self.socketAddress(server)
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: address.protocol == .inet6 ? "::" : "0.0.0.0", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(wrappingChannelSynchronously: channel)
                }
            }
        let timeout = self.timeout
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: query)))
            return try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
                group.addTask {
                    for try await envelope in inbound {
                        let bytes = Array(envelope.data.readableBytesView)
                        if envelope.remoteAddress == address, DNSMessage.id(of: bytes) == id { return bytes }
                    }
                    return nil
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
        }
    }

    /// `1.2.3.4`, `1.2.3.4:5353`, `fd00::1` or `[fd00::1]:5353` as a socket address (port 53 unless given).
    static func socketAddress(_ text: String) throws -> SocketAddress {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let host = String(text[text.index(after: text.startIndex)..<close])
            let port = Int(text[close...].dropFirst(2)) ?? 53
            return try SocketAddress(ipAddress: host, port: port)
        }
        let parts = text.split(separator: ":")
        if parts.count == 2, let port = Int(parts[1]) { return try SocketAddress(ipAddress: String(parts[0]), port: port) }
        return try SocketAddress(ipAddress: text, port: 53)
    }
}
