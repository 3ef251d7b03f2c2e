import NIOCore
import NIOWebSocket
import SkiffAPIServer

/// What the kubelet's WebSocket sessions (exec, port-forward) share: NIOWebSocket's frame codec on
/// the upgraded connection, binary messages out, and the client's binary messages in (pings
/// answered, a close frame or the connection's end finishing them).
enum WebSocketMessages {
    /// The upgrade that runs `session` with the connection's frames.
    static func upgrade(_ session: @escaping @Sendable (UpgradedConnection<WebSocketFrame>) async -> Void) -> ConnectionUpgrade {
        ConnectionUpgrade.messages(
            of: WebSocketFrame.self, decoders: { [ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 20))] },
            encoders: { [WebSocketFrameEncoder()] }, session: session)
    }

    /// A binary message.
    static func binary(_ payload: [UInt8]) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: .binary, data: ByteBuffer(bytes: payload))
    }

    /// Ends the session as RFC 6455 asks: a close frame (1000, normal closure), then the
    /// connection. Clients that drop what they have not yet delivered when the connection ends
    /// without one (the Python client's port-forward) deliver it first.
    static func close(_ connection: UpgradedConnection<WebSocketFrame>) async {
        try? await connection.write(WebSocketFrame(fin: true, opcode: .connectionClose, data: ByteBuffer(bytes: [0x03, 0xE8])))
        connection.close()
    }

    /// Hands each binary message of the client to `receive` until the client closes.
    static func read(_ connection: UpgradedConnection<WebSocketFrame>, _ receive: ([UInt8]) async -> Void) async {
        for await frame in connection.inbound {
            switch frame.opcode {
            case .binary, .continuation:
                await receive(Array(frame.unmaskedData.readableBytesView))
            case .ping:
                try? await connection.write(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData))
            case .connectionClose:
                return
            default:
                continue
            }
        }
    }
}
