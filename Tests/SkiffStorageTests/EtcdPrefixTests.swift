import Logging
import SkiffEtcd
import SkiffStorage
import Testing

/// `--etcd-prefix`: the store's `/registry` keys live under another prefix in etcd, as upstream's
/// kube-apiserver places them, and read, range and watch back as `/registry` keys.
@Suite(.timeLimit(.minutes(3))) struct EtcdPrefixTests {
    @Test(.enabled(if: EtcdTestServer.binary != nil, Comment(rawValue: EtcdTestServer.missingReason)))
    func registryKeysLiveUnderThePrefix() async throws {
        let server = try await EtcdTestServer.start()
        defer { server.stop() }
        var configuration = server.configuration
        configuration.prefix = "/team-a/"
        let prefixed = try EtcdStorage(configuration: configuration, logger: Logger(label: "test"))
        let plain = try EtcdStorage(configuration: server.configuration, logger: Logger(label: "test"))
        let deadline = ContinuousClock.now + .seconds(60)
        while (try? await prefixed.currentRevision()) == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(200)) }

        // From the next revision rather than "now": etcd registers a watch asynchronously, and
        // one from now could miss a write made right after it is asked for.
        let watch = prefixed.watch(prefix: "/registry/configmaps/", startRevision: try await prefixed.currentRevision() + 1)
        var events = watch.makeAsyncIterator()
        _ = try await prefixed.create("/registry/configmaps/demo/a", value: Array("a".utf8))
        // The same etcd seen without the prefix: the key sits under /team-a, not /registry.
        #expect(try await plain.get("/team-a/configmaps/demo/a", revision: 0)?.value == Array("a".utf8))
        #expect(try await plain.get("/registry/configmaps/demo/a", revision: 0) == nil)
        // Through the prefixed store it is a /registry key again, in reads, ranges and watches.
        #expect(try await prefixed.get("/registry/configmaps/demo/a", revision: 0) != nil)
        let listed = try await prefixed.range(RangeRequest(prefix: "/registry/configmaps/"))
        #expect(listed.kvs.map(\.key) == ["/registry/configmaps/demo/a"])
        var batch = try await events.next()
        while batch?.events.isEmpty == true { batch = try await events.next() }
        #expect(batch?.events.map(\.kv.key) == ["/registry/configmaps/demo/a"])
        try await prefixed.close()
        try await plain.close()
    }
}
