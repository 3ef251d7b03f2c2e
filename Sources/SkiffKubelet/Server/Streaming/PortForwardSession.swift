import NIOCore
import NIOWebSocket
import SkiffAPI
import SkiffAPIServer

/// One port-forward over an upgraded WebSocket (`v4.channel.k8s.io`, as upstream's kubelet
/// serves it to WebSocket clients): port i of the request gets data channel 2i and error channel
/// 2i+1, each opened by a message carrying the port (little-endian); the data channel is joined
/// to a connection to the port in the pod (`dial`: TCP to the pod's IP, or the CRI runtime's
/// port-forward), and a failure to connect is reported as text on the error channel. The session
/// ends when the client or any port's connection closes (so the client sees the end of a one-port
/// stream, e.g. an HTTP/1.0 answer).
struct PortForwardSession: Sendable {
    /// The subprotocols served.
    static let supported = ["v4.channel.k8s.io"]

    let ports: [Int]
    let dial: PodPortDialer
    let connection: UpgradedConnection<WebSocketFrame>

    /// The ports of `/portForward/{namespace}/{pod}?ports=80,8080` (repeated or comma-separated).
    static func ports(_ query: QueryParameters) throws(APIError) -> [Int] {
        let texts = query.all("ports").flatMap { $0.split(separator: ",") }
        var ports: [Int] = []
        for text in texts {
            guard let port = Int(text.trimmingCharacters(in: .whitespaces)), (1...65535).contains(port) else {
                throw APIError.badRequest("invalid port \"\(text)\"")
            }
            ports.append(port)
        }
        guard !ports.isEmpty else { throw APIError.badRequest("query parameter \"port\" is required") }
        return ports
    }

    /// The upgrade that runs the session with WebSocket frames.
    static func upgrade(ports: [Int], dial: @escaping PodPortDialer) -> ConnectionUpgrade {
        WebSocketMessages.upgrade { connection in await PortForwardSession(ports: ports, dial: dial, connection: connection).run() }
    }

    /// Opens every port's channels and connection, then relays until the client goes away.
    func run() async {
        var backends: [Int: PodPortConnection] = [:]
        for (index, port) in ports.enumerated() {
            let prefix = [UInt8(truncatingIfNeeded: port), UInt8(truncatingIfNeeded: port >> 8)]
            try? await send(UInt8(2 * index), prefix)
            try? await send(UInt8(2 * index + 1), prefix)
            do {
                backends[index] = try await dial(port)
            } catch {
                try? await send(UInt8(2 * index + 1), Array("error forwarding port \(port) to pod: \(error)".utf8))
            }
        }
        let sending = backends
        await withTaskGroup(of: Void.self) { group in
            for (index, backend) in sending {
                group.addTask {
                    for await chunk in backend.inbound { try? await send(UInt8(2 * index), chunk) }
                    if let failure = await backend.failure() {
                        try? await send(UInt8(2 * index + 1), Array("error forwarding port \(ports[index]) to pod: \(failure)".utf8))
                    }
                }
            }
            group.addTask { await readClient(sending) }
            await group.next()
            group.cancelAll()
        }
        for backend in backends.values { backend.close() }
        await WebSocketMessages.close(connection)
    }

    /// Routes the client's data messages to their ports' connections.
    private func readClient(_ backends: [Int: PodPortConnection]) async {
        await WebSocketMessages.read(connection) { message in
            guard let channel = message.first, channel % 2 == 0, let backend = backends[Int(channel / 2)], message.count > 1 else { return }
            try? await backend.write(Array(message.dropFirst()))
        }
    }

    private func send(_ channel: UInt8, _ payload: [UInt8]) async throws {
        try await connection.write(WebSocketMessages.binary([channel] + payload))
    }
}
