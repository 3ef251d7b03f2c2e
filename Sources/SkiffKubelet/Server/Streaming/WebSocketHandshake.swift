import Foundation
import NIOHTTP1

/// The server's half of a WebSocket opening handshake (RFC 6455 §4.2) for the kubelet's streams:
/// the request must ask for `websocket` with a key, and offer a subprotocol the server speaks.
struct WebSocketHandshake: Sendable, Hashable {
    /// The subprotocol both sides speak.
    var subprotocol: String
    /// `Sec-WebSocket-Accept`: base64 of the SHA-1 of the client's key and the RFC's GUID.
    var accept: String

    /// Checks `headers`; nil when they do not ask for a WebSocket at all, an error message when
    /// they do but cannot be served.
    static func negotiate(_ headers: HTTPHeaders, supported: [String]) -> Result<WebSocketHandshake, HandshakeError>? {
        guard headers[canonicalForm: "upgrade"].contains(where: { $0.lowercased() == "websocket" }) else { return nil }
        guard let key = headers.first(name: "sec-websocket-key"), !key.isEmpty else { return .failure(HandshakeError("missing Sec-WebSocket-Key")) }
        let offered = headers[canonicalForm: "sec-websocket-protocol"].map(String.init)
        guard let chosen = supported.first(where: offered.contains) else {
            return .failure(HandshakeError("none of the offered subprotocols \(offered) is supported; supported: \(supported)"))
        }
        let digest = SHA1.digest(Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))
        return .success(WebSocketHandshake(subprotocol: chosen, accept: Data(digest).base64EncodedString()))
    }

    /// The headers of the `101 Switching Protocols` answer.
    var responseHeaders: HTTPHeaders {
        ["Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Accept": accept, "Sec-WebSocket-Protocol": subprotocol]
    }
}

/// Why a WebSocket handshake was refused.
struct HandshakeError: Error, Hashable {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}
