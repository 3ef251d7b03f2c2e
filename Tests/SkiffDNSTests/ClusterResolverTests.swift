import SkiffModels
import Testing

@testable import SkiffDNS

/// The records of the Kubernetes DNS specification, answered from fixed cluster objects.
struct ClusterResolverTests {
    let resolver: ClusterResolver

    init() {
        let http = CoreV1.ServicePort(name: "http", port: 80, protocol: "TCP")
        let services = [
            Fixtures.service("web", clusterIP: "10.96.0.20", ports: [http, CoreV1.ServicePort(port: 8080)]),
            Fixtures.service("db", clusterIP: "None", ports: [CoreV1.ServicePort(name: "pg", port: 5432)]),
            Fixtures.service("empty", clusterIP: "None"),
            Fixtures.service("eager", clusterIP: "None", publishNotReady: true),
            Fixtures.service("search", type: "ExternalName", externalName: "www.example.com"),
            Fixtures.service("kubernetes", namespace: "default", clusterIP: "10.96.0.1"),
        ]
        let slices = [
            Fixtures.slice("db", ports: [DiscoveryV1.EndpointPort(name: "pg", port: 5432, protocol: "TCP")], endpoints: [
                ("10.128.0.5", "db-0", true), ("10.128.0.6", nil, nil), ("10.128.0.7", "db-2", false),
            ]),
            Fixtures.slice("empty", endpoints: [("10.128.0.9", "e-0", false)]),
            Fixtures.slice("eager", endpoints: [("10.128.0.10", "e-0", false)]),
            Fixtures.slice("web", endpoints: [("10.128.0.11", nil, true)]),
        ]
        resolver = ClusterResolver(directory: StaticDirectory(services: services, slices: slices, namespaces: ["default", "demo"]))
    }

    func ask(_ name: String, _ type: DNSRecordType) throws -> DNSMessage {
        var query = DNSWireFormatTests.query(name, type)
        query.edns = DNSMessage.EDNS(udpPayloadSize: 4096)
        guard case .answer(let response) = resolver.resolve(query) else {
            Issue.record("\(name) was forwarded")
            throw CancellationError()
        }
        #expect(response.id == query.id && response.isResponse && response.isAuthoritative && response.recursionAvailable)
        return response
    }

    func addresses(_ response: DNSMessage) -> [String] {
        response.answers.compactMap {
            if case .a(let bytes) = $0.data { return bytes.map(String.init).joined(separator: ".") }
            return nil
        }
    }

    @Test func aServiceNameAnswersItsClusterIP() throws {
        let response = try ask("web.demo.svc.cluster.local", .a)
        #expect(response.responseCode == .noError)
        #expect(addresses(response) == ["10.96.0.20"])
        #expect(response.answers[0].ttl == 30)
        #expect(response.answers[0].name == DNSName("web.demo.svc.cluster.local"))
        #expect(addresses(try ask("WEB.Demo.SVC.cluster.LOCAL.", .a)) == ["10.96.0.20"])
    }

    @Test func aTypeTheNameLacksIsNODATAWithTheSOA() throws {
        let response = try ask("web.demo.svc.cluster.local", .aaaa)
        #expect(response.responseCode == .noError)
        #expect(response.answers.isEmpty)
        guard case .soa(let soa) = response.authorities.first?.data else {
            Issue.record("no SOA in \(response.authorities)")
            return
        }
        #expect(soa.primary == DNSName("ns.dns.cluster.local") && soa.minimum == 30)
    }

    @Test func unknownNamesAreNXDOMAINAndKnownNamespacesNODATA() throws {
        #expect(try ask("nothing.demo.svc.cluster.local", .a).responseCode == .nameError)
        #expect(try ask("web.elsewhere.svc.cluster.local", .a).responseCode == .nameError)
        #expect(try ask("demo.svc.cluster.local", .a).responseCode == .noError)
        #expect(try ask("elsewhere.svc.cluster.local", .a).responseCode == .nameError)
        #expect(try ask("svc.cluster.local", .a).responseCode == .noError)
        #expect(try ask("cluster.local", .a).responseCode == .noError)
        #expect(try ask("x.y.cluster.local", .a).responseCode == .nameError)
        #expect(try ask("a.b.web.demo.svc.cluster.local", .a).responseCode == .nameError)
        #expect(try ask("nothing.demo.svc.cluster.local", .a).authorities.count == 1)
    }

    @Test func aHeadlessServiceAnswersItsReadyEndpoints() throws {
        #expect(Set(addresses(try ask("db.demo.svc.cluster.local", .a))) == ["10.128.0.5", "10.128.0.6"])
        #expect(try ask("empty.demo.svc.cluster.local", .a).responseCode == .nameError)
        #expect(addresses(try ask("eager.demo.svc.cluster.local", .a)) == ["10.128.0.10"])
    }

    @Test func endpointsAnswerByHostnameOrDashedAddress() throws {
        #expect(addresses(try ask("db-0.db.demo.svc.cluster.local", .a)) == ["10.128.0.5"])
        #expect(addresses(try ask("10-128-0-6.db.demo.svc.cluster.local", .a)) == ["10.128.0.6"])
        #expect(try ask("db-2.db.demo.svc.cluster.local", .a).responseCode == .nameError)
    }

    @Test func namedPortsHaveSRVRecordsWithTheTargetsInAdditional() throws {
        let response = try ask("_http._tcp.web.demo.svc.cluster.local", .srv)
        #expect(response.answers.map(\.data) == [.srv(priority: 0, weight: 100, port: 80, target: DNSName("web.demo.svc.cluster.local")!)])
        #expect(addresses(DNSMessage(id: 0, answers: response.additionals)) == ["10.96.0.20"])
        #expect(try ask("_http._udp.web.demo.svc.cluster.local", .srv).responseCode == .nameError)
        #expect(try ask("_http._tcp.web.demo.svc.cluster.local", .a).responseCode == .noError)
        let headless = try ask("_pg._tcp.db.demo.svc.cluster.local", .srv)
        #expect(Set(headless.answers.map(\.data)) == [
            .srv(priority: 0, weight: 50, port: 5432, target: DNSName("db-0.db.demo.svc.cluster.local")!),
            .srv(priority: 0, weight: 50, port: 5432, target: DNSName("10-128-0-6.db.demo.svc.cluster.local")!),
        ])
        #expect(headless.additionals.count == 2)
    }

    @Test func clusterIPsAndEndpointAddressesHavePTRRecords() throws {
        #expect(try ask("20.0.96.10.in-addr.arpa", .ptr).answers.map(\.data) == [.ptr(DNSName("web.demo.svc.cluster.local")!)])
        #expect(try ask("5.0.128.10.in-addr.arpa", .ptr).answers.map(\.data) == [.ptr(DNSName("db-0.db.demo.svc.cluster.local")!)])
        #expect(resolver.resolve(DNSWireFormatTests.query("8.8.8.8.in-addr.arpa", .ptr)) == .forward)
    }

    @Test func anExternalNameServiceIsACNAME() throws {
        let response = try ask("search.demo.svc.cluster.local", .a)
        #expect(response.answers.map(\.data) == [.cname(DNSName("www.example.com")!)])
    }

    @Test func podNamesSpellTheirAddress() throws {
        #expect(addresses(try ask("10-128-0-99.demo.pod.cluster.local", .a)) == ["10.128.0.99"])
        #expect(try ask("10-128-0.demo.pod.cluster.local", .a).responseCode == .nameError)
    }

    @Test func theSchemaVersionIsATXTRecord() throws {
        #expect(try ask("dns-version.cluster.local", .txt).answers.map(\.data) == [.txt(["1.0.1"])])
    }

    @Test func namesOutsideTheZoneAreForwarded() {
        #expect(resolver.resolve(DNSWireFormatTests.query("example.com", .a)) == .forward)
        #expect(resolver.resolve(DNSWireFormatTests.query("cluster.local.example.com", .a)) == .forward)
    }

    @Test func theDomainAndTTLAreConfigurable() throws {
        var configuration = ClusterResolver.Configuration()
        configuration.domain = DNSName("skiff.internal")!
        configuration.ttl = 5
        let resolver = ClusterResolver(directory: StaticDirectory(services: [Fixtures.service("web", clusterIP: "10.96.0.20")]), configuration: configuration)
        guard case .answer(let response) = resolver.resolve(DNSWireFormatTests.query("web.demo.svc.skiff.internal", .a)) else {
            Issue.record("forwarded")
            return
        }
        #expect(response.answers.map(\.ttl) == [5])
        #expect(resolver.resolve(DNSWireFormatTests.query("web.demo.svc.cluster.local", .a)) == .forward)
    }
}

extension DNSMessage {
    init(id: UInt16, answers: [DNSRecord]) {
        self.init(id: id)
        self.answers = answers
    }
}
