import SkiffAPI
import Testing

@testable import SkiffProxy

/// NetworkPolicies rendered into the agent's table (upstream's semantics, as data).
struct NetworkPolicyRulesetBuilderTests {
    typealias F = NetworkPolicyFixtures

    let server = F.pod("server", ip: "10.128.0.5", labels: ["app": "server"], ports: [["name": "http", "containerPort": 8080]])
    let client = F.pod("client", ip: "10.128.0.6", labels: ["role": "client"])
    let stranger = F.pod("stranger", ip: "10.128.0.7")
    let remote = F.pod("remote", namespace: "other", ip: "10.128.1.9", labels: ["role": "client"], node: "node-b")

    /// The rules of the chain `kind` (ingress/egress) of `pod` in `ruleset`, after the first
    /// (which lets the pod reach itself).
    func rules(_ ruleset: NFTRuleset, _ kind: String, _ pod: String) -> [String]? {
        ruleset.chains.first { $0.name.hasPrefix(kind + "-") && $0.name.hasSuffix("-demo/" + pod) }.map { Array($0.rules.dropFirst()) }
    }

    @Test func withoutPoliciesNothingIsIsolated() {
        let ruleset = F.ruleset([], [server, client])
        #expect(ruleset.chains.map(\.name) == ["forward"])
        #expect(ruleset.chain("forward")?.hook == "type filter hook forward priority 0")
        #expect(ruleset.chain("forward")?.rules == [
            "ct state established,related accept", "ip saddr vmap @egress-pods", "ip daddr vmap @ingress-pods",
        ])
        #expect(ruleset.elements("ingress-pods").isEmpty && ruleset.elements("egress-pods").isEmpty)
    }

    @Test func defaultDenyIsolatesEverySelectedPod() {
        let ruleset = F.ruleset([F.policy("deny", ["podSelector": [:], "policyTypes": ["Ingress"]])], [server, client, remote])
        #expect(rules(ruleset, "ingress", "server") == ["drop"])
        #expect(rules(ruleset, "ingress", "client") == ["drop"])
        #expect(ruleset.chains.first { $0.name.hasSuffix("-demo/server") }?.rules.first == "ip saddr 10.128.0.5 return")
        // Pods elsewhere are their own node's business; egress is not isolated.
        #expect(ruleset.elements("ingress-pods").count == 2)
        #expect(ruleset.elements("ingress-pods").allSatisfy { $0.hasPrefix("10.128.0.") && $0.contains(" : jump ingress-") })
        #expect(ruleset.elements("egress-pods").isEmpty)
    }

    @Test func podSelectorPeersAreTheirNamespacesPodsAndPortsNumbersOrNames() {
        let allow = F.policy("allow", [
            "podSelector": ["matchLabels": ["app": "server"]],
            "ingress": [["from": [["podSelector": ["matchLabels": ["role": "client"]]]], "ports": [["port": "http"], ["protocol": "UDP", "port": 53, "endPort": 60]]]],
        ])
        let ruleset = F.ruleset([allow], [server, client, stranger, remote])
        // policyTypes unset: Ingress. The remote client is in another namespace.
        #expect(rules(ruleset, "ingress", "server") == [
            "ip saddr { 10.128.0.6 } tcp dport 8080 return", "ip saddr { 10.128.0.6 } udp dport 53-60 return", "drop",
        ])
        #expect(rules(ruleset, "ingress", "client") == nil)
        #expect(ruleset.elements("egress-pods").isEmpty)
    }

    @Test func namespaceSelectorsAndIPBlocks() {
        let allow = F.policy("allow", [
            "podSelector": ["matchLabels": ["app": "server"]],
            "ingress": [
                ["from": [["namespaceSelector": ["matchLabels": ["team": "other"]]]]],
                ["from": [["namespaceSelector": ["matchLabels": ["kubernetes.io/metadata.name": "other"]], "podSelector": ["matchLabels": ["role": "nobody"]]]]],
                ["from": [["ipBlock": ["cidr": "192.168.0.0/16", "except": ["192.168.1.0/24"]]]], "ports": [["protocol": "TCP"]]],
            ],
        ])
        let ruleset = F.ruleset([allow], [server, remote])
        // A selector that picks no pod allows nothing (no rule, never an empty set).
        #expect(rules(ruleset, "ingress", "server") == [
            "ip saddr { 10.128.1.9 } return", "ip saddr 192.168.0.0/16 ip saddr != { 192.168.1.0/24 } meta l4proto tcp return", "drop",
        ])
    }

    @Test func anEmptyRuleAllowsEverythingAndPoliciesAddUp() {
        let deny = F.policy("deny", ["podSelector": [:], "policyTypes": ["Ingress", "Egress"]])
        let open = F.policy("open", ["podSelector": ["matchLabels": ["app": "server"]], "ingress": [[:]]])
        let ruleset = F.ruleset([deny, open], [server, client])
        #expect(rules(ruleset, "ingress", "server") == ["return", "drop"])
        #expect(rules(ruleset, "egress", "server") == ["drop"])
        #expect(ruleset.chains.first { $0.name.hasPrefix("egress-") && $0.name.hasSuffix("-demo/server") }?.rules.first == "ip daddr 10.128.0.5 return")
        #expect(rules(ruleset, "egress", "client") == ["drop"])
        #expect(ruleset.elements("egress-pods").count == 2)
    }

    @Test func egressNamedPortsResolveOnTheDestinationPods() {
        let egress = F.policy("out", [
            "podSelector": ["matchLabels": ["role": "client"]], "policyTypes": ["Egress"],
            "egress": [
                ["to": [["podSelector": ["matchLabels": ["app": "server"]]]], "ports": [["port": "http"]]],
                ["ports": [["port": "http"]]],
                ["to": [["ipBlock": ["cidr": "10.0.0.0/8"]]], "ports": [["port": "http"]]],
                ["to": [["ipBlock": ["cidr": "0.0.0.0/0"]]], "ports": [["protocol": "UDP", "port": 53]]],
            ],
        ])
        let ruleset = F.ruleset([egress], [server, client])
        #expect(rules(ruleset, "egress", "client") == [
            "ip daddr . tcp dport { 10.128.0.5 . 8080 } return", "ip daddr . tcp dport { 10.128.0.5 . 8080 } return",
            "ip daddr 0.0.0.0/0 udp dport 53 return", "drop",
        ])
        #expect(ruleset.elements("ingress-pods").isEmpty)
    }

    @Test func podsWithoutAnAddressOrThatEndedAreLeftOut() {
        var ended = F.pod("ended", ip: "10.128.0.8")
        ended.status?.phase = "Succeeded"
        var pending = F.pod("pending", ip: "")
        pending.status?.podIP = nil
        let ruleset = F.ruleset([F.policy("deny", ["podSelector": [:]])], [ended, pending, server])
        #expect(ruleset.elements("ingress-pods").count == 1)
    }

    @Test func theTransactionNamesTheAgentsTable() {
        let ruleset = F.ruleset([F.policy("deny", ["podSelector": [:]])], [server])
        let script = NFTTransaction(table: "skiff-netpol", comment: "network policies of skiff", desired: ruleset, previous: nil).script
        #expect(script.hasPrefix("add table ip skiff-netpol { comment \"network policies of skiff\" ; }\ndelete table ip skiff-netpol\n"))
        #expect(script.contains("add map ip skiff-netpol ingress-pods { type ipv4_addr : verdict ; }"))
        #expect(script.contains("add element ip skiff-netpol ingress-pods { 10.128.0.5 : jump ingress-"))
    }
}
