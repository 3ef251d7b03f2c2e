import SkiffStorage
import Testing

/// The one HTTP/2 connection to etcd stays up while etcd's gRPC server sends it a PING per batch
/// of request data (its bandwidth estimate): swift-nio-http2 would close a connection after 200
/// inbound PINGs in 30 seconds, ending every watch (`HTTP2PingResponder`).
@Suite(.timeLimit(.minutes(3))) struct EtcdConnectionTests {
    @Test(.enabled(if: EtcdTestServer.binary != nil, Comment(rawValue: EtcdTestServer.missingReason)))
    func outlastsEtcdsPings() async throws {
        let store = try await EtcdTestStore.open()
        let stream = store.watch(prefix: "/pings/", startRevision: try await store.currentRevision() + 1)
        var events = stream.makeAsyncIterator()
        // Sequential requests: etcd pings after each (none is outstanding by then), 500 in a second or two.
        for index in 0..<500 {
            #expect(try await store.get("/pings/\(index)", revision: 0) == nil)
        }
        // The watch opened before them is still the same stream and sees a write after them.
        _ = try await store.create("/pings/after", value: [1])
        var batch = try await events.next()
        while batch?.events.isEmpty == true { batch = try await events.next() }
        #expect(batch?.events.map(\.kv.key) == ["/pings/after"])
        try await store.close()
    }
}
