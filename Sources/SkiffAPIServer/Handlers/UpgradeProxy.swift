import NIOCore
import NIOHTTP1
import NIOSSL
import SkiffAPI

/// Forwards an upgrade request (exec, attach, a WebSocket through a proxy subresource or the
/// aggregator) to a backend (the kubelet, a pod, an extension server) and, when it switches
/// protocols, joins the client's connection to the backend's byte for byte, as upstream's
/// upgrade-aware proxy does; any other answer is passed back as it came.
public struct UpgradeProxy: Sendable {
    /// The request headers the kubelet needs to upgrade.
    static let kubeletHeaders = [
        "Connection", "Upgrade", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol", "X-Stream-Protocol-Version",
    ]
    /// The most of a non-upgrade answer that is read.
    static let maxBodyBytes = 1 << 20

    let host: String
    let port: Int
    /// TLS to the backend; nil: plain TCP.
    var tls: NIOSSLContext?
    /// The name the backend's certificate must have, also sent as `Host`; nil: `host`.
    var serverHostname: String?

    /// A proxy to `host`:`port`: plain TCP, or with `tls` TLS whose server certificate names
    /// `serverHostname` (also sent as `Host`; nil: `host`).
    public init(host: String, port: Int, tls: NIOSSLContext? = nil, serverHostname: String? = nil) {
        self.host = host
        self.port = port
        self.tls = tls
        self.serverHostname = serverHostname
    }

    /// The headers of `headers` the kubelet needs to upgrade.
    static func kubeletUpgradeHeaders(_ headers: HTTPHeaders) -> HTTPHeaders {
        HTTPHeaders(kubeletHeaders.flatMap { name in headers[name].map { (name, $0) } })
    }

    /// Sends `method target` with `headers` and returns the backend's answer.
    func forward(method: HTTPMethod = .GET, target: String, headers: HTTPHeaders) async throws -> HTTPResponse {
        let (answer, backend) = try await request(method: method, target: target, headers: headers)
        guard answer.status == .switchingProtocols else {
            backend.close()
            let contentType = answer.headers.first(name: "Content-Type") ?? "text/plain"
            return HTTPResponse(status: answer.status, headers: ["Content-Type": contentType], body: .bytes(Array(answer.body.prefix(Self.maxBodyBytes))))
        }
        var upgradeHeaders = answer.headers
        upgradeHeaders.remove(name: "Date")
        let leftover = answer.body
        return HTTPResponse(status: .switchingProtocols, headers: upgradeHeaders, body: .upgrade(.messages(of: ByteBuffer.self) { client in
            await Self.join(client, backend, leftover: leftover)
        }))
    }

    /// Sends `method target` with `headers` on a new connection and reads the answer's head (and
    /// the body, unless it switches protocols); returns it with the connection, which is the
    /// backend's after a `101 Switching Protocols` (bytes after the head are the answer's `body`).
    public func request(method: HTTPMethod = .GET, target: String, headers: HTTPHeaders) async throws
        -> (BackendAnswer, UpgradedConnection<ByteBuffer>)
    {
        let backend: UpgradedConnection<ByteBuffer>
        do {
            backend = try await UpgradedConnection.connect(host: host, port: port, tls: tls, serverHostname: serverHostname)
        } catch {
            throw APIError(code: 500, reason: .internalError, message: "error dialing backend: \(error)")
        }
        var head = "\(method.rawValue) \(target) HTTP/1.1\r\nHost: \(serverHostname ?? host):\(port)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try await backend.write(ByteBuffer(string: head + "\r\n"))
        var received: [UInt8] = []
        var answer: BackendAnswer?
        for await chunk in backend.inbound {
            received += chunk.readableBytesView
            answer = BackendAnswer(received)
            if let answer, answer.status != .switchingProtocols, answer.body.count < answer.contentLength ?? Self.maxBodyBytes { continue }
            if answer != nil { break }
        }
        guard let answer else {
            backend.close()
            throw APIError(code: 500, reason: .internalError, message: "error dialing backend: the connection closed before an answer")
        }
        return (answer, backend)
    }

    /// Copies each side's bytes to the other until either closes, then closes both.
    private static func join(_ client: UpgradedConnection<ByteBuffer>, _ backend: UpgradedConnection<ByteBuffer>, leftover: [UInt8]) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await chunk in client.inbound { try? await backend.write(chunk) }
            }
            group.addTask {
                if !leftover.isEmpty { try? await client.write(ByteBuffer(bytes: leftover)) }
                for await chunk in backend.inbound { try? await client.write(chunk) }
            }
            await group.next()
            group.cancelAll()
        }
        backend.close()
        client.close()
    }
}

/// The start of a backend's answer: status line and headers, once all of them arrived, and the
/// bytes after them.
public struct BackendAnswer: Sendable {
    /// The status line's code.
    public var status: HTTPResponseStatus
    /// The answer's headers.
    public var headers: HTTPHeaders
    /// The bytes after the head.
    public var body: [UInt8]

    /// Parses `bytes`; nil while the head is incomplete or malformed.
    init?(_ bytes: [UInt8]) {
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        guard let index = bytes.indices.dropLast(3).first(where: { bytes[$0..<$0 + 4].elementsEqual(end) }) else { return nil }
        let lines = String(decoding: bytes[..<index], as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusFields = lines.first?.split(separator: " ", maxSplits: 2) ?? []
        guard statusFields.count >= 2, let code = Int(statusFields[1]) else { return nil }
        status = HTTPResponseStatus(statusCode: code)
        headers = HTTPHeaders()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.add(name: String(line[..<colon]), value: line[line.index(after: colon)...].trimmingSpaces())
        }
        body = Array(bytes[(index + 4)...])
    }

    /// The announced body length.
    var contentLength: Int? { headers.first(name: "Content-Length").flatMap { Int($0) } }
}
