import Logging
import NIOHTTP1
import SkiffAPI
import SkiffAPIServer
import Testing

@testable import SkiffKubelet

/// The kubelet's client of a runtime's streaming server (CRI's `Exec`/`Attach`/`PortForward`
/// URLs): the SPDY port-forward against the kubelet's own SPDY port-forward server on loopback,
/// and the exit codes read off a remote command's error stream.
struct StreamingServerClientTests {
    /// Serves the kubelet's SPDY port-forward (raw upgrade) on a free loopback port, forwarding
    /// to 127.0.0.1, next to an HTTP server answering `hello`; `body` gets the URL and that port.
    static func withServers(_ body: @escaping @Sendable (_ url: String, _ helloPort: Int) async throws -> Void) async throws {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let hello = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), logger: logger) { _ in .text("hello") }
        let session = SPDYPortForwardSession(podName: "web", podUID: "uid-1") { try await PodPortConnection.tcp(host: "127.0.0.1", port: $0) }
        let streaming = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), logger: logger) { request in
            guard request.headers["X-Stream-Protocol-Version"].contains(SPDYPortForwardSession.streamProtocol) else { return .text("no protocol") }
            let headers: HTTPHeaders = ["Connection": "Upgrade", "Upgrade": "SPDY/3.1", "X-Stream-Protocol-Version": SPDYPortForwardSession.streamProtocol]
            return HTTPResponse(status: .switchingProtocols, headers: headers, body: .upgrade(session.rawUpgrade()))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            let (ports, bound) = AsyncStream<Int>.makeStream()
            group.addTask { try await hello.run { bound.yield($0) } }
            group.addTask { try await streaming.run { bound.yield($0) } }
            var iterator = ports.makeAsyncIterator()
            guard let first = await iterator.next(), let second = await iterator.next() else { return }
            // Which server bound first is not known: the streaming server answers `no protocol` to a plain GET.
            let (probe, probeConnection) = try await UpgradeProxy(host: "127.0.0.1", port: first).request(target: "/", headers: [:])
            probeConnection.close()
            let streamingPort = String(decoding: probe.body, as: UTF8.self) == "hello" ? second : first
            try await body("http://127.0.0.1:\(streamingPort)/portforward/token", streamingPort == first ? second : first)
            group.cancelAll()
        }
    }

    @Test func portForwardReachesThePortThroughTheStreamingServer() async throws {
        try await Self.withServers { url, helloPort in
            let connection = try await StreamingServerClient.portForward(url: url, port: helloPort)
            try await connection.write(Array("GET / HTTP/1.1\r\nHost: pod\r\n\r\n".utf8))
            var received: [UInt8] = []
            for await chunk in connection.inbound {
                received += chunk
                if String(decoding: received, as: UTF8.self).hasSuffix("hello") { connection.closeOutput() }
            }
            let answer = String(decoding: received, as: UTF8.self)
            #expect(answer.hasPrefix("HTTP/1.1 200 OK") && answer.hasSuffix("hello"), "\(answer)")
            #expect(await connection.failure() == nil)
            connection.close()
        }
    }

    @Test func aPortNobodyListensOnIsTheConnectionsFailure() async throws {
        try await Self.withServers { url, _ in
            let connection = try await StreamingServerClient.portForward(url: url, port: 1)
            for await _ in connection.inbound {}
            let failure = await connection.failure()
            #expect(failure?.hasPrefix("error forwarding port 1 to pod web, uid uid-1: ") == true, "\(failure ?? "nil")")
            connection.close()
        }
    }

    @Test func aServerThatDoesNotSwitchProtocolsIsAnError() async throws {
        try await Self.withServers { url, helloPort in
            let plain = url.replacingOccurrences(of: url.split(separator: "/")[1], with: "127.0.0.1:\(helloPort)")
            await #expect(throws: RuntimeError.self) { try await StreamingServerClient.portForward(url: plain, port: 80) }
        }
    }

    @Test func exitCodesComeFromTheStatus() throws {
        #expect(try StreamingServerClient.exitCode(status: []) == 0)
        #expect(try StreamingServerClient.exitCode(status: Array(#"{"metadata":{},"status":"Success"}"#.utf8)) == 0)
        let nonZero = RemoteCommandProtocol.exitStatus(3, command: ["sh"]).serialized()
        #expect(try StreamingServerClient.exitCode(status: nonZero) == 3)
        let failure = RemoteCommandProtocol.failureStatus("no such container").serialized()
        let error = #expect(throws: RemoteCommandFailure.self) { try StreamingServerClient.exitCode(status: failure) }
        #expect(error?.status == (try JSONValue(parsing: failure)))
    }

    @Test func streamingURLsAreSplitIntoHostPortAndTarget() {
        let ipv4 = SPDYClientConnection.parse("http://127.0.0.1:4321/exec/abc")
        #expect(ipv4?.host == "127.0.0.1" && ipv4?.port == 4321 && ipv4?.target == "/exec/abc")
        let ipv6 = SPDYClientConnection.parse("http://[::1]:80/attach/x")
        #expect(ipv6?.host == "::1" && ipv6?.port == 80 && ipv6?.target == "/attach/x")
        #expect(SPDYClientConnection.parse("https://127.0.0.1:1/exec/x") == nil)
        #expect(SPDYClientConnection.parse("http://host/exec/x") == nil)
    }
}
