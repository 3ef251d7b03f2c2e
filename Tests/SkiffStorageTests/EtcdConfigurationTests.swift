import SkiffEtcd
import Testing

/// The `--storage etcd://…` URL: members as host:port, comma-separated.
@Suite struct EtcdConfigurationTests {
    @Test func parsesOneOrSeveralMembers() throws {
        #expect(try EtcdConfiguration(url: "etcd://127.0.0.1:2379").endpoints == [.init(host: "127.0.0.1", port: 2379)])
        let three = try EtcdConfiguration(url: "etcd://10.0.0.1:2379,10.0.0.2:2379,etcd-3.example:32379/")
        #expect(three.endpoints == [
            .init(host: "10.0.0.1", port: 2379), .init(host: "10.0.0.2", port: 2379), .init(host: "etcd-3.example", port: 32379),
        ])
        #expect(three.tls == nil)
    }

    @Test(arguments: ["etcd://", "etcd://host", "etcd://host:0", "etcd://:2379", "etcd://host:port", "sqlite:///tmp/x.db"])
    func rejectsMalformedURLs(_ url: String) {
        #expect(throws: EtcdConfigurationError.self) { try EtcdConfiguration(url: url) }
    }
}
