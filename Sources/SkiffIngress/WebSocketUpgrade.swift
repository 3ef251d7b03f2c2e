import NIOHTTP1

/// Which requests ask to switch protocols (pure): HTTP/1.1 requests with `Upgrade: websocket`
/// and `upgrade` among the `Connection` tokens (RFC 6455 §4.1). The proxy passes them on with
/// those two headers and then pipes bytes both ways (`IngressTunnelHandler`).
enum WebSocketUpgrade {
    static func isRequested(_ head: HTTPRequestHead) -> Bool {
        guard head.version == .http1_1 else { return false }
        let connection = head.headers["Connection"].flatMap(tokens)
        let upgrade = head.headers["Upgrade"].flatMap(tokens)
        return connection.contains("upgrade") && upgrade.contains("websocket")
    }

    /// The request as the backend gets it: its line and `headers` (the client's, forwarded)
    /// with `Connection: Upgrade` and the client's `Upgrade` restored.
    static func backendRequest(_ head: HTTPRequestHead, forwardedHeaders headers: HTTPHeaders) -> String {
        var text = "\(head.method.rawValue) \(head.uri) HTTP/1.1\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "Connection: Upgrade\r\n"
        for value in head.headers["Upgrade"] { text += "Upgrade: \(value)\r\n" }
        return text + "\r\n"
    }

    private static func tokens(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.filter { !$0.isWhitespace }.lowercased() }
    }
}
