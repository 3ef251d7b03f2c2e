import NIOHTTP1
import Testing

@testable import SkiffIngress

/// Which requests are WebSocket upgrades, and how they reach the backend.
struct WebSocketUpgradeTests {
    func head(_ headers: [(String, String)], version: HTTPVersion = .http1_1) -> HTTPRequestHead {
        HTTPRequestHead(version: version, method: .GET, uri: "/chat?room=1", headers: HTTPHeaders(headers))
    }

    @Test func upgradesAreDetected() {
        #expect(WebSocketUpgrade.isRequested(head([("Connection", "Upgrade"), ("Upgrade", "websocket")])))
        #expect(WebSocketUpgrade.isRequested(head([("Connection", "keep-alive, Upgrade"), ("Upgrade", "WebSocket")])))
        #expect(!WebSocketUpgrade.isRequested(head([("Upgrade", "websocket")])))
        #expect(!WebSocketUpgrade.isRequested(head([("Connection", "Upgrade"), ("Upgrade", "h2c")])))
        #expect(!WebSocketUpgrade.isRequested(head([("Connection", "Upgrade"), ("Upgrade", "websocket")], version: .http1_0)))
        #expect(!WebSocketUpgrade.isRequested(head([("Connection", "keep-alive")])))
    }

    @Test func theBackendGetsTheUpgradeHeadersBack() {
        let request = head([("Host", "chat.example"), ("Connection", "Upgrade"), ("Upgrade", "websocket"), ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")])
        let forwarded = IngressProxyServer.forwardedHeaders(ProxyExchange(request: request, secure: true, clientAddress: "10.0.0.9"))
        let text = WebSocketUpgrade.backendRequest(request, forwardedHeaders: forwarded)
        #expect(text.hasPrefix("GET /chat?room=1 HTTP/1.1\r\nHost: chat.example\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"))
        #expect(text.contains("X-Forwarded-Proto: https\r\n") && text.contains("X-Forwarded-For: 10.0.0.9\r\n"))
        #expect(text.hasSuffix("Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n"))
    }
}
