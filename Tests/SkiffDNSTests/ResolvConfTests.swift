import Testing

@testable import SkiffDNS

struct ResolvConfTests {
    @Test func theHostFileIsReadAsTheKubeletReadsIt() {
        let conf = ResolvConf(parsing: """
            # generated
            search old.example
            nameserver 192.168.1.1
            search corp.example. example.com
            nameserver 8.8.8.8
            ; comment
            options ndots:2 timeout:1
            """)
        #expect(conf.nameservers == ["192.168.1.1", "8.8.8.8"])
        #expect(conf.searches == ["corp.example", "example.com"])
        #expect(conf.options == ["ndots:2", "timeout:1"])
    }

    @Test func aPodFileIsWrittenSearchNameserversOptions() {
        let conf = ResolvConf(nameservers: ["10.96.0.10"], searches: ["demo.svc.cluster.local", "svc.cluster.local"], options: ["ndots:5"])
        #expect(conf.text == "search demo.svc.cluster.local svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n")
        #expect(ResolvConf(parsing: conf.text) == conf)
    }
}
