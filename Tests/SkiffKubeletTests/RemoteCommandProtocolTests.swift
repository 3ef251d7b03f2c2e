import NIOHTTP1
import SkiffAPI
import Testing

@testable import SkiffKubelet

/// The exec stream's WebSocket handshake and channel framing (`v4`/`v5.channel.k8s.io`).
struct RemoteCommandProtocolTests {
    @Test func sha1MatchesKnownDigests() {
        let hex = { (bytes: [UInt8]) in bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
        #expect(hex(SHA1.digest([])) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(hex(SHA1.digest(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(hex(SHA1.digest(long)) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    }

    @Test func handshakeAcceptsTheRFCExampleAndPrefersV5() throws {
        let headers: HTTPHeaders = [
            "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Protocol": "v4.channel.k8s.io, v5.channel.k8s.io",
        ]
        let handshake = try #require(WebSocketHandshake.negotiate(headers, supported: RemoteCommandProtocol.supported)).get()
        #expect(handshake.accept == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(handshake.subprotocol == "v5.channel.k8s.io")
        #expect(handshake.responseHeaders.first(name: "Sec-WebSocket-Protocol") == "v5.channel.k8s.io")
    }

    @Test func handshakeRefusesUnknownSubprotocolsAndIgnoresPlainRequests() {
        let headers: HTTPHeaders = ["Upgrade": "websocket", "Sec-WebSocket-Key": "x", "Sec-WebSocket-Protocol": "channel.k8s.io"]
        guard case .failure = WebSocketHandshake.negotiate(headers, supported: RemoteCommandProtocol.supported) else {
            Issue.record("an unsupported subprotocol was accepted")
            return
        }
        #expect(WebSocketHandshake.negotiate(["Accept": "*/*"], supported: RemoteCommandProtocol.supported) == nil)
    }

    @Test func messagesCarryTheirChannelInTheFirstByte() throws {
        #expect(RemoteCommandProtocol.encode(.stdout, Array("hi".utf8)) == [1, 104, 105])
        let stdin = try #require(RemoteCommandProtocol.decode([0, 7, 8]))
        #expect(stdin.channel == .stdin && Array(stdin.payload) == [7, 8])
        let close = try #require(RemoteCommandProtocol.decode([255, 0]))
        #expect(close.channel == .close && Array(close.payload) == [0])
        #expect(RemoteCommandProtocol.decode([]) == nil)
        #expect(RemoteCommandProtocol.decode([9, 1]) == nil)
    }

    @Test func exitStatusesAreUpstreams() {
        #expect(RemoteCommandProtocol.exitStatus(0, command: ["true"]) == ["metadata": .emptyObject, "status": "Success"])
        let failure = RemoteCommandProtocol.exitStatus(3, command: ["sh", "-c", "exit 3"])
        #expect(failure["reason"] == "NonZeroExitCode")
        #expect(failure[path: "details", "causes"] == [["reason": "ExitCode", "message": "3"]])
        #expect(failure["message"] == "command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3")
        #expect(RemoteCommandProtocol.failureStatus("boom")["reason"] == "InternalError")
    }

    @Test func streamRequestsReadUpstreamsQuery() throws {
        let query = QueryParameters("command=sh&command=-c&command=exit%203&input=1&output=1&error=1")
        let request = try #require(try StreamRequest(path: "/exec/default/web/app", query: query))
        #expect(request.kind == .exec && request.namespace == "default" && request.pod == "web" && request.container == "app")
        #expect(request.command == ["sh", "-c", "exit 3"])
        #expect(request.stdin && request.stdout && request.stderr && !request.tty)
        #expect(try StreamRequest(path: "/containerLogs/default/web/app", query: query) == nil)
        #expect(throws: APIError.self) { try StreamRequest(path: "/exec/default/web/app", query: QueryParameters("output=1")) }
    }

    @Test func portForwardPortsAreRepeatedOrCommaSeparated() throws {
        #expect(try PortForwardSession.ports(QueryParameters("ports=8080&ports=80,443")) == [8080, 80, 443])
        #expect(throws: APIError.self) { try PortForwardSession.ports(QueryParameters("ports=http")) }
        #expect(throws: APIError.self) { try PortForwardSession.ports(QueryParameters("")) }
    }
}
