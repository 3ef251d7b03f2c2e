import SkiffAPI
import SkiffModels
import Testing

@testable import SkiffProxy

/// The rendering of Services and EndpointSlices into iptables chains (iptables mode), and the
/// `iptables-restore` input a sync writes.
struct IPTablesRulesetBuilderTests {
    typealias F = ProxyFixtures

    static func ruleset(_ services: [CoreV1.Service], _ slices: [DiscoveryV1.EndpointSlice]) -> IPTablesRuleset {
        IPTablesRulesetBuilder(configuration: ProxyConfiguration(nodeName: F.node))
            .build(ServicePortTable.make(services: services, slices: slices, nodeName: F.node))
    }

    static func port(_ namespace: String, _ service: String, _ portName: String) -> ProxiedServicePort {
        ProxiedServicePort(
            namespace: namespace, serviceName: service, portName: portName, l4Protocol: "tcp", clusterIP: nil, port: 80, nodePort: nil,
            externalIPs: [], affinityTimeout: nil, internalLocal: false, externalLocal: false, endpoints: [])
    }

    @Test func chainNamesAreUpstreams() {
        // The names upstream's iptables proxier gives `ns1/svc1:p80` and its endpoints (its tests' literals).
        let port = Self.port("ns1", "svc1", "p80")
        #expect(IPTablesChainName.service(port) == "KUBE-SVC-XPGD46QRK7WJZT7O")
        let endpoint = ProxiedEndpoint(ip: "10.180.0.1", port: 80, ready: true, serving: true, terminating: false, isLocal: true)
        #expect(IPTablesChainName.endpoint(port, endpoint) == "KUBE-SEP-SXIVWICOYRO3J4NJ")
        #expect(IPTablesChainName.endpoint(port, ProxiedEndpoint(ip: "10.180.0.2", port: 80, ready: true, serving: true, terminating: false, isLocal: true))
            == "KUBE-SEP-LXVODXWDISEETFEF")
        #expect(Self.port("ns1", "svc1", "").servicePortName == "ns1/svc1")
    }

    @Test func goldenClusterIPAndRejectRestoreInput() {
        let ruleset = Self.ruleset(
            [F.service("web"), F.service("empty", clusterIP: "10.96.0.11")],
            [F.slice("web", [F.endpoint("10.128.0.5"), F.endpoint("10.128.0.6"), F.endpoint("10.128.0.7", ready: false)])])
        let input = IPTablesTransaction(desired: ruleset, stale: ["nat": ["KUBE-SEP-OLDOLDOLDOLDOLDO", "KUBE-SERVICES"]]).input
        #expect(input == """
            *filter
            :KUBE-SERVICES - [0:0]
            :KUBE-EXTERNAL-SERVICES - [0:0]
            -A KUBE-SERVICES -m comment --comment "demo/empty:http has no endpoints" -m tcp -p tcp -d 10.96.0.11 --dport 80 -j REJECT
            COMMIT
            *nat
            :KUBE-SERVICES - [0:0]
            :KUBE-NODEPORTS - [0:0]
            :KUBE-POSTROUTING - [0:0]
            :KUBE-MARK-MASQ - [0:0]
            :KUBE-SVC-XRY76EGRC3BSCIIJ - [0:0]
            :KUBE-SEP-LFMQAMMLSNSI42EJ - [0:0]
            :KUBE-SEP-S3WUZBOWTYHGE2FL - [0:0]
            :KUBE-SEP-OLDOLDOLDOLDOLDO - [0:0]
            -A KUBE-SERVICES -m comment --comment "demo/web:http cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j KUBE-SVC-XRY76EGRC3BSCIIJ
            -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS
            -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
            -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
            -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
            -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
            -A KUBE-SVC-XRY76EGRC3BSCIIJ -m comment --comment "demo/web:http -> 10.128.0.5:8080" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-LFMQAMMLSNSI42EJ
            -A KUBE-SVC-XRY76EGRC3BSCIIJ -m comment --comment "demo/web:http -> 10.128.0.6:8080" -j KUBE-SEP-S3WUZBOWTYHGE2FL
            -A KUBE-SEP-LFMQAMMLSNSI42EJ -m comment --comment demo/web:http -s 10.128.0.5 -j KUBE-MARK-MASQ
            -A KUBE-SEP-LFMQAMMLSNSI42EJ -m comment --comment demo/web:http -m tcp -p tcp -j DNAT --to-destination 10.128.0.5:8080
            -A KUBE-SEP-S3WUZBOWTYHGE2FL -m comment --comment demo/web:http -s 10.128.0.6 -j KUBE-MARK-MASQ
            -A KUBE-SEP-S3WUZBOWTYHGE2FL -m comment --comment demo/web:http -m tcp -p tcp -j DNAT --to-destination 10.128.0.6:8080
            -X KUBE-SEP-OLDOLDOLDOLDOLDO
            COMMIT

            """)
    }

    @Test func probabilitiesSplitEvenly() {
        let ruleset = Self.ruleset([F.service("web")], [F.slice("web", ["10.128.0.5", "10.128.0.6", "10.128.0.7"].map { F.endpoint($0) })])
        let dispatch = ruleset.nat.rules.filter { $0.hasPrefix("-A KUBE-SVC-") }
        #expect(dispatch.count == 3)
        #expect(dispatch[0].contains("--probability 0.3333333333 -j KUBE-SEP-"))
        #expect(dispatch[1].contains("--probability 0.5000000000 -j KUBE-SEP-"))
        #expect(!dispatch[2].contains("statistic"))
    }

    @Test func nodePortsAffinityAndLocalPolicies() {
        let spec: JSONValue = [
            "type": "NodePort", "sessionAffinity": "ClientIP", "externalTrafficPolicy": "Local",
            "ports": [["name": "http", "port": 80, "targetPort": 8080, "nodePort": 30080]],
        ]
        let ruleset = Self.ruleset([F.service("web", spec: spec)], [F.slice("web", [F.endpoint("10.128.0.5"), F.endpoint("10.128.0.6", node: "node-b")])])
        let external = "KUBE-EXT-XRY76EGRC3BSCIIJ"
        #expect(ruleset.nat.rules.contains("-A KUBE-NODEPORTS -m comment --comment demo/web:http -m tcp -p tcp --dport 30080 -j \(external)"))
        #expect(ruleset.nat.rules.filter { $0.hasPrefix("-A \(external) ") } == [
            "-A \(external) -m comment --comment \"masquerade LOCAL traffic for demo/web:http external destinations\" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ",
            "-A \(external) -m comment --comment \"route LOCAL traffic for demo/web:http external destinations\" -m addrtype --src-type LOCAL -j KUBE-SVC-XRY76EGRC3BSCIIJ",
            "-A \(external) -j KUBE-SVL-XRY76EGRC3BSCIIJ",
        ])
        // ClientIP affinity: the recent module remembers the client per endpoint (10800 s by default).
        #expect(ruleset.nat.rules.contains {
            $0.hasPrefix("-A KUBE-SVL-XRY76EGRC3BSCIIJ ") && $0.contains("-m recent --name KUBE-SEP-LFMQAMMLSNSI42EJ --rcheck --seconds 10800 --reap")
        })
        #expect(ruleset.nat.rules.contains(
            "-A KUBE-SEP-LFMQAMMLSNSI42EJ -m comment --comment demo/web:http -m recent --name KUBE-SEP-LFMQAMMLSNSI42EJ --set -m tcp -p tcp -j DNAT --to-destination 10.128.0.5:8080"))
        // No local endpoint with externalTrafficPolicy Local: the NodePort drops.
        let elsewhere = Self.ruleset([F.service("web", spec: spec)], [F.slice("web", [F.endpoint("10.128.0.6", node: "node-b")])])
        #expect(elsewhere.filter.rules == [
            "-A KUBE-EXTERNAL-SERVICES -m comment --comment \"demo/web:http has no local endpoints\" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j DROP",
        ])
    }

    @Test func previousChainsAreFoundInIptablesSave() {
        let saved = """
            # Generated by iptables-save
            *nat
            :PREROUTING ACCEPT [0:0]
            :KUBE-SERVICES - [0:0]
            :KUBE-SVC-XRY76EGRC3BSCIIJ - [0:0]
            :DOCKER - [0:0]
            -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
            COMMIT
            """
        #expect(IPTablesTransaction.ownChains(inSaved: saved, fixed: IPTablesRulesetBuilder.natChains) == ["KUBE-SERVICES", "KUBE-SVC-XRY76EGRC3BSCIIJ"])
        #expect(IPTablesTransaction.removal(["nat": ["KUBE-SERVICES"]]) == "*nat\n:KUBE-SERVICES - [0:0]\n-X KUBE-SERVICES\nCOMMIT\n")
    }
}
