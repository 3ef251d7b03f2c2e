import SkiffDNS
import SkiffModels
import Testing

@testable import SkiffKubelet

/// A pod's resolv.conf per dnsPolicy and dnsConfig, as upstream's kubelet forms it.
struct PodDNSConfigurerTests {
    static let host = ResolvConf(nameservers: ["192.168.1.1", "8.8.8.8"], searches: ["corp.example"], options: ["timeout:2"])

    static func configurer(clusterDNS: [String] = ["10.96.0.10"], resolvConf: String = "/etc/resolv.conf") -> PodDNSConfigurer {
        var settings = PodDNSConfigurer.Settings()
        settings.clusterDNS = clusterDNS
        settings.resolvConf = resolvConf
        return PodDNSConfigurer(settings: settings, host: host)
    }

    static func pod(policy: String? = nil, hostNetwork: Bool? = nil, dnsConfig: CoreV1.PodDNSConfig? = nil) -> CoreV1.Pod {
        var spec = CoreV1.PodSpec(containers: [])
        spec.dnsPolicy = policy
        spec.hostNetwork = hostNetwork
        spec.dnsConfig = dnsConfig
        return CoreV1.Pod(metadata: .init(name: "p", namespace: "demo"), spec: spec)
    }

    @Test func clusterFirstNamesTheClusterDNSAndSearchesTheNamespaceFirst() {
        let conf = Self.configurer().configuration(for: Self.pod())
        #expect(conf == ResolvConf(
            nameservers: ["10.96.0.10"], searches: ["demo.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example"],
            options: ["ndots:5"]))
        #expect(Self.configurer().configuration(for: Self.pod(policy: "ClusterFirstWithHostNet", hostNetwork: true)).nameservers == ["10.96.0.10"])
    }

    @Test func defaultAndHostNetworkClusterFirstGetTheHostFile() {
        #expect(Self.configurer().configuration(for: Self.pod(policy: "Default")) == Self.host)
        #expect(Self.configurer().configuration(for: Self.pod(policy: "ClusterFirst", hostNetwork: true)) == Self.host)
        #expect(Self.configurer(clusterDNS: []).configuration(for: Self.pod()) == Self.host)
        #expect(Self.configurer(resolvConf: "").configuration(for: Self.pod(policy: "Default")).nameservers == ["127.0.0.1"])
    }

    @Test func noneTakesOnlyTheDNSConfig() {
        let config = CoreV1.PodDNSConfig(
            nameservers: ["1.1.1.1"], options: [CoreV1.PodDNSConfigOption(name: "ndots", value: "2"), CoreV1.PodDNSConfigOption(name: "edns0")],
            searches: ["a.example"])
        #expect(Self.configurer().configuration(for: Self.pod(policy: "None", dnsConfig: config)) == ResolvConf(
            nameservers: ["1.1.1.1"], searches: ["a.example"], options: ["ndots:2", "edns0"]))
    }

    @Test func theDNSConfigIsAppendedAndItsOptionsWin() {
        let config = CoreV1.PodDNSConfig(
            nameservers: ["10.96.0.10", "1.1.1.1"], options: [CoreV1.PodDNSConfigOption(name: "ndots", value: "1")], searches: ["cluster.local", "x.example"])
        let conf = Self.configurer().configuration(for: Self.pod(dnsConfig: config))
        #expect(conf.nameservers == ["10.96.0.10", "1.1.1.1"])
        #expect(conf.searches == ["demo.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example", "x.example"])
        #expect(conf.options == ["ndots:1"])
    }

    @Test func theLimitsCutNameserversAndSearches() {
        let config = CoreV1.PodDNSConfig(nameservers: ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"], searches: (0..<40).map { "d\($0).example" })
        let conf = Self.configurer().configuration(for: Self.pod(policy: "None", dnsConfig: config))
        #expect(conf.nameservers == ["1.1.1.1", "2.2.2.2", "3.3.3.3"])
        #expect(conf.searches.count == 32)
        let long = CoreV1.PodDNSConfig(searches: (0..<20).map { String(repeating: "a", count: 120) + "\($0)" })
        #expect(Self.configurer().configuration(for: Self.pod(policy: "None", dnsConfig: long)).searches.joined(separator: " ").count <= 2048)
    }
}
