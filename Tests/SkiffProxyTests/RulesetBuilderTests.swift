import SkiffAPI
import Testing

@testable import SkiffProxy

/// The rendering of Services and EndpointSlices into the proxy's nftables ruleset.
struct RulesetBuilderTests {
    typealias F = ProxyFixtures

    @Test func clusterIPBalancesOverReadyEndpoints() {
        let ruleset = F.ruleset(
            [F.service("web")], [F.slice("web", [F.endpoint("10.128.0.5"), F.endpoint("10.128.0.6"), F.endpoint("10.128.0.7", ready: false)])])
        let service = ChainName.service(port("web"))
        #expect(ruleset.elements("service-ips") == ["10.96.0.10 . tcp . 80 : goto \(service)"])
        #expect(service.hasPrefix("service-") && service.hasSuffix("-demo/web/tcp/http"))
        let endpoints = ruleset.chainNames(startingWith: "endpoint-")
        #expect(endpoints.count == 2)
        #expect(endpoints.allSatisfy { $0.hasSuffix("__10.128.0.5/8080") || $0.hasSuffix("__10.128.0.6/8080") })
        #expect(ruleset.chain(service)?.rules == ["numgen random mod 2 vmap { 0 : goto \(endpoints[0]), 1 : goto \(endpoints[1]) }"])
        #expect(ruleset.chain(endpoints[0])?.rules == [
            "ip saddr 10.128.0.5 jump mark-for-masquerade", "meta l4proto tcp dnat to 10.128.0.5:8080",
        ])
        #expect(ruleset.elements("no-endpoint-services").isEmpty)
    }

    @Test func terminatingServingEndpointsAreTheFallback() {
        let draining = F.ruleset(
            [F.service("web")],
            [F.slice("web", [F.endpoint("10.128.0.5", ready: false, serving: true, terminating: true), F.endpoint("10.128.0.6", ready: false)])])
        #expect(draining.chainNames(startingWith: "endpoint-").map { $0.hasSuffix("__10.128.0.5/8080") } == [true])
        let mixed = F.ruleset(
            [F.service("web")],
            [F.slice("web", [F.endpoint("10.128.0.5", ready: false, serving: true, terminating: true), F.endpoint("10.128.0.6")])])
        #expect(mixed.chainNames(startingWith: "endpoint-").map { $0.hasSuffix("__10.128.0.6/8080") } == [true])
    }

    @Test func servicesWithoutEndpointsReject() {
        let ruleset = F.ruleset([F.service("web")], [F.slice("web", [F.endpoint("10.128.0.5", ready: false)])])
        #expect(ruleset.elements("service-ips").isEmpty)
        #expect(ruleset.elements("no-endpoint-services") == ["10.96.0.10 . tcp . 80 : goto reject-chain"])
        #expect(ruleset.chain("reject-chain")?.rules == ["reject"])
        #expect(ruleset.chain("filter-output")?.rules.contains("ct state new jump service-endpoints-check") == true)
    }

    @Test func headlessAndExternalNameServicesAreSkipped() {
        let ruleset = F.ruleset(
            [F.service("headless", clusterIP: "None"), F.service("alias", clusterIP: "", spec: ["type": "ExternalName", "externalName": "example.com"])],
            [F.slice("headless", [F.endpoint("10.128.0.5")])])
        #expect(ruleset.maps.allSatisfy { $0.elements.isEmpty })
        #expect(ruleset.chainNames(startingWith: "service-").isEmpty)
    }

    @Test func nodePortsAreMasqueradedToAnyEndpoint() {
        let ruleset = F.ruleset(
            [F.service("web", spec: ["type": "NodePort", "ports": [["name": "http", "port": 80, "targetPort": 8080, "nodePort": 30080]]])],
            [F.slice("web", [F.endpoint("10.128.0.5", node: "node-b")])])
        let external = ChainName.external(port("web"))
        #expect(ruleset.elements("service-nodeports") == ["tcp . 30080 : goto \(external)"])
        #expect(ruleset.chain(external)?.rules == ["jump mark-for-masquerade", "goto \(ChainName.service(port("web")))"])
        #expect(ruleset.chain("services")?.rules.last == "fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports")
    }

    @Test func externalTrafficPolicyLocalKeepsToThisNode() {
        let spec: JSONValue = ["type": "NodePort", "externalTrafficPolicy": "Local", "ports": [["name": "http", "port": 80, "nodePort": 30080]]]
        let local = F.ruleset([F.service("web", spec: spec)], [F.slice("web", [F.endpoint("10.128.0.5"), F.endpoint("10.128.0.6", node: "node-b")])])
        let web = port("web")
        #expect(local.chain(ChainName.external(web))?.rules == [
            "fib saddr type local jump mark-for-masquerade", "fib saddr type local goto \(ChainName.service(web))", "goto \(ChainName.local(web))",
        ])
        #expect(local.chain(ChainName.local(web))?.rules == ["goto \(ChainName.endpoint(web, endpoint("10.128.0.5")))"])
        let elsewhere = F.ruleset([F.service("web", spec: spec)], [F.slice("web", [F.endpoint("10.128.0.6", node: "node-b")])])
        #expect(elsewhere.elements("no-endpoint-nodeports") == ["tcp . 30080 : drop"])
        #expect(elsewhere.elements("service-ips").count == 1)
    }

    @Test func internalTrafficPolicyLocalDropsWithoutLocalEndpoints() {
        let spec: JSONValue = ["internalTrafficPolicy": "Local"]
        let elsewhere = F.ruleset([F.service("web", spec: spec)], [F.slice("web", [F.endpoint("10.128.0.6", node: "node-b")])])
        #expect(elsewhere.elements("no-endpoint-services") == ["10.96.0.10 . tcp . 80 : drop"])
        let here = F.ruleset([F.service("web", spec: spec)], [F.slice("web", [F.endpoint("10.128.0.5"), F.endpoint("10.128.0.6", node: "node-b")])])
        #expect(here.elements("service-ips") == ["10.96.0.10 . tcp . 80 : goto \(ChainName.local(port("web")))"])
    }

    @Test func clientIPAffinityRemembersTheEndpoint() {
        let spec: JSONValue = ["sessionAffinity": "ClientIP", "sessionAffinityConfig": ["clientIP": ["timeoutSeconds": 60]]]
        let ruleset = F.ruleset([F.service("web", spec: spec)], [F.slice("web", [F.endpoint("10.128.0.5"), F.endpoint("10.128.0.6")])])
        let web = port("web")
        let first = endpoint("10.128.0.5")
        #expect(ruleset.sets.map(\.timeoutSeconds) == [60, 60])
        #expect(ruleset.chain(ChainName.service(web))?.rules.first == "ip saddr @\(ChainName.affinity(web, first)) goto \(ChainName.endpoint(web, first))")
        #expect(ruleset.chain(ChainName.endpoint(web, first))?.rules.contains("update @\(ChainName.affinity(web, first)) { ip saddr }") == true)
    }

    @Test func udpPortsAndClusterCIDRMasquerade() {
        let dns = F.service("kube-dns", spec: ["ports": [["name": "dns", "port": 53, "protocol": "UDP"], ["name": "dns-tcp", "port": 53, "protocol": "TCP"]]])
        let slice = F.slice("kube-dns", [F.endpoint("10.128.0.2")], ports: [["name": "dns", "port": 53, "protocol": "UDP"], ["name": "dns-tcp", "port": 53, "protocol": "TCP"]])
        let ruleset = F.ruleset([dns], [slice], clusterCIDR: "10.128.0.0/16")
        #expect(ruleset.elements("service-ips").map { $0.prefix(23) } == ["10.96.0.10 . udp . 53 :", "10.96.0.10 . tcp . 53 :"])
        #expect(ruleset.rules(startingWith: "service-")?.first == "ip daddr 10.96.0.10 udp dport 53 ip saddr != 10.128.0.0/16 jump mark-for-masquerade")
        #expect(ruleset.chainNames(startingWith: "endpoint-").count == 2)
    }

    @Test func loadBalancerIngressIsReachedLikeANodePort() {
        let lb = F.service(
            "web", spec: ["type": "LoadBalancer", "ports": [["name": "http", "port": 80, "nodePort": 30080]]],
            status: ["loadBalancer": ["ingress": [["ip": "192.0.2.2"]]]])
        let ruleset = F.ruleset([lb], [F.slice("web", [F.endpoint("10.128.0.5")])])
        let external = ChainName.external(port("web"))
        #expect(ruleset.elements("service-ips").contains("192.0.2.2 . tcp . 80 : goto \(external)"))
        #expect(ruleset.elements("service-nodeports") == ["tcp . 30080 : goto \(external)"])
    }

    /// The service port the fixtures make for `name` (only its name matters to chain names).
    private func port(_ name: String) -> ProxiedServicePort {
        ProxiedServicePort(
            namespace: "demo", serviceName: name, portName: "http", l4Protocol: "tcp", clusterIP: "10.96.0.10", port: 80, nodePort: nil,
            externalIPs: [], affinityTimeout: nil, internalLocal: false, externalLocal: false, endpoints: [])
    }

    private func endpoint(_ ip: String) -> ProxiedEndpoint {
        ProxiedEndpoint(ip: ip, port: 8080, ready: true, serving: true, terminating: false, isLocal: true)
    }
}
