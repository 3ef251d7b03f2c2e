import Testing

@testable import SkiffDNS

/// Bytes in, bytes out: malformed queries, names without upstream, the UDP size limit; and the
/// server over real sockets on loopback.
struct DNSQueryHandlerTests {
    let handler = DNSQueryHandler(
        resolver: ClusterResolver(directory: StaticDirectory(services: [Fixtures.service("web", clusterIP: "10.96.0.20")])),
        forwarder: nil)

    func response(_ outcome: DNSQueryHandler.Outcome) throws -> DNSMessage {
        guard case .respond(let bytes) = outcome else {
            Issue.record("no response: \(outcome)")
            throw CancellationError()
        }
        return try DNSMessage(decoding: bytes)
    }

    @Test func aMalformedQueryGetsFORMERRAndGarbageNothing() throws {
        let bytes: [UInt8] = [0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0]
        let response = try response(handler.handle(bytes, overUDP: true))
        #expect(response.id == 0xabcd && response.responseCode == .formatError)
        guard case .drop = handler.handle([1, 2, 3], overUDP: true) else {
            Issue.record("a 3-byte datagram was answered")
            return
        }
    }

    @Test func otherNamesAreRefusedWithoutUpstreamResolvers() throws {
        let query = DNSWireFormatTests.query("example.com", .a)
        #expect(try response(handler.handle(query.encoded(), overUDP: true)).responseCode == .refused)
    }

    @Test func clusterNamesAreAnswered() throws {
        let query = DNSWireFormatTests.query("web.demo.svc.cluster.local", .a)
        #expect(try response(handler.handle(query.encoded(), overUDP: false)).answers.count == 1)
    }

    @Test func theServerAnswersOverUDPAndForwardsToUpstream() async throws {
        let (ports, input) = AsyncStream.makeStream(of: Int.self)
        let server = DNSServer(configuration: { var c = DNSServer.Configuration(); c.host = "127.0.0.1"; c.port = 0; return c }(), handler: handler, logger: .init(label: "test")) { port in
            input.yield(port)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let client = UpstreamForwarder(nameservers: ["127.0.0.1:\(port)"])
            let answer = try #require(await client.forward(DNSWireFormatTests.query("web.demo.svc.cluster.local", .a).encoded()))
            #expect(try DNSMessage(decoding: answer).answers.map(\.data) == [.a([10, 96, 0, 20])])
            // A second server forwarding to the first.
            let forwarding = DNSQueryHandler(
                resolver: ClusterResolver(directory: StaticDirectory(), configuration: { var c = ClusterResolver.Configuration(); c.domain = DNSName("other.local")!; return c }()),
                forwarder: client)
            guard case .forward(let query) = forwarding.handle(DNSWireFormatTests.query("web.demo.svc.cluster.local", .a).encoded(), overUDP: true) else {
                Issue.record("not forwarded")
                return
            }
            let forwarded = try DNSMessage(decoding: await forwarding.forwarded(query.encoded(), query: query))
            #expect(forwarded.answers.map(\.data) == [.a([10, 96, 0, 20])])
            group.cancelAll()
        }
    }

    @Test func nobodyAnsweringIsSERVFAIL() async throws {
        let silent = DNSQueryHandler(resolver: handler.resolver, forwarder: UpstreamForwarder(nameservers: ["127.0.0.1:9"], timeout: .milliseconds(200)))
        let query = DNSWireFormatTests.query("example.com", .a)
        #expect(try DNSMessage(decoding: await silent.forwarded(query.encoded(), query: query)).responseCode == .serverFailure)
    }
}
