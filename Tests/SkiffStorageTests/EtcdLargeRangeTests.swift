import Logging
import SkiffEtcd
import SkiffStorage
import Testing

/// A range whose answer is bigger than gRPC's default 4 MiB message limit (the watch cache's
/// first load of a resource with a few thousand objects) reads whole, as etcd's clientv3 does.
@Suite struct EtcdLargeRangeTests {
    @Test(.enabled(if: EtcdTestServer.binary != nil, Comment(rawValue: EtcdTestServer.missingReason)))
    func aRangeOverFourMebibytesReadsWhole() async throws {
        let server = try await EtcdTestServer.start()
        defer { server.stop() }
        let storage = try EtcdStorage(configuration: server.configuration, logger: Logger(label: "test"))
        let deadline = ContinuousClock.now + .seconds(60)
        while (try? await storage.currentRevision()) == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(200)) }

        // Six values of 1 MiB each: each write is under etcd's 1.5 MiB request limit, the range is not under 4 MiB.
        let value = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        for index in 0..<6 { _ = try await storage.create("/registry/configmaps/big/cm-\(index)", value: value) }
        let listed = try await storage.range(RangeRequest(prefix: "/registry/configmaps/big/"))
        #expect(listed.kvs.count == 6)
        #expect(listed.kvs.allSatisfy { $0.value.count == value.count })
        try await storage.close()
    }
}
